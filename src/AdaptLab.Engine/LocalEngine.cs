using AdaptLab.Abstractions;
using AdaptLab.Engine.Embeddings;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine;

/// <summary>
/// The engine as the CLI sees it, in process or loaded from the add-on's folder: concurrent greedy calls to
/// a chat model run as batches, and the client offers the model's tokenizer.
/// </summary>
public sealed class LocalEngine : ILocalEngine, ILocalTrainer, IModelExporter
{
    public IChatClient OpenChatModel(string path)
    {
        var model = LocalModel.Open(path);
        return new ModelTokenizerChatClient(new BatchingChatClient(model), model, path);
    }

    public TrainingResult FineTune(
        string baseModel, IReadOnlyList<TrainingExample> examples, string outputFolder, TrainingOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, bool resume = false, IReadOnlyList<TrainingExample>? validation = null,
        IDevScorer? scorer = null)
    {
        return Training.SftTrainer.FineTune(baseModel, examples, outputFolder, options, progress, cancellationToken, resume, validation ?? [], scorer);
    }

    public IReadOnlyDictionary<string, int> ExportGguf(string modelPath, string outputPath, string type)
    {
        if (!Gguf.GgufExport.Types.TryGetValue(type, out var ggml))
        {
            throw new ArgumentException($"GGUF types are {string.Join(", ", Gguf.GgufExport.Types.Keys)}; not '{type}'", nameof(type));
        }

        return Gguf.GgufExport.Write(modelPath, outputPath, ggml).Values
            .GroupBy(t => Gguf.GgufExport.Types.First(n => n.Value == t).Key)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Loads libtorch and ONNX Runtime, so an install can be checked without a model.</summary>
    /// <exception cref="InvalidOperationException">One of them does not load on this machine.</exception>
    public void LoadNativeLibraries()
    {
        TorchRuntime.EnsureLoaded();
        OpenSentenceEncoder().Dispose();
    }

    public IEmbeddingGenerator<string, Embedding<float>> OpenSentenceEncoder()
    {
        try
        {
            return new MiniLmEmbeddingGenerator();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            throw new InvalidOperationException($"the MiniLM encoder did not load ({e.Message})", e);
        }
    }
}
