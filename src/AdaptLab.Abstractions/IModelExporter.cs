namespace AdaptLab.Abstractions;

/// <summary>Writes a local model (a checkpoint, a fine-tuned folder, or an adapter merged into its base) in formats other runtimes load.</summary>
public interface IModelExporter
{
    /// <summary>GGUF for llama.cpp and Ollama, its matrices in <paramref name="type"/> (f32, f16 or q8_0).</summary>
    /// <returns>How many tensors each type holds (norms stay f32; matrices Q8_0 cannot block stay f16).</returns>
    /// <exception cref="NotSupportedException">The model's tokenizer or shape has no GGUF export yet.</exception>
    /// <exception cref="ArgumentException">The model cannot be found or <paramref name="type"/> is unknown.</exception>
    IReadOnlyDictionary<string, int> ExportGguf(string modelPath, string outputPath, string type);
}
