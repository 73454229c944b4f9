using System.Diagnostics;

namespace AdaptLab.Engine.Bench;

/// <summary>
/// A random-weight model of SmolLM2-135M's shape (hidden 576, intermediate 1536, 30 layers, 9 heads, 3 kv heads,
/// vocab 49152, tied embeddings, rope_theta 100000) as a Hugging Face directory, written once by torch_llama.py
/// (F32 safetensors, config.json, a byte-level tokenizer.json) and reused by later runs.
/// </summary>
internal static class SmolLm2Shape
{
    public const string Name = "smollm2-135m-shape";

    public static string EnsureWritten(BenchOptions options)
    {
        var directory = Path.Combine(options.Cache, Name);
        if (File.Exists(Path.Combine(directory, "config.json")))
        {
            return directory; // config.json is written last, so the directory is complete
        }

        Console.WriteLine($"Writing {directory} (about 540 MB, once)...");
        var start = TorchPeer.Start(options.TunedTorch, options.TorchSettings, Environment.ProcessorCount, "write-hf", directory, "7");
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {TorchPeer.Python}.");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? directory : throw new InvalidOperationException($"Writing {directory} failed: {errors}");
    }
}
