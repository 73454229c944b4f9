using AdaptLab.Engine.Llama;
using static TorchSharp.torch;

namespace AdaptLab.Engine.HuggingFace;

/// <summary>
/// Loads a Hugging Face Llama-family checkpoint (config.json and safetensors weights in F32, F16 or BF16)
/// into a float32 <see cref="LlamaModel"/>. Each tensor is read once, into its parameter.
/// </summary>
public static class HfCheckpoint
{
    public const string ConfigFile = "config.json";

    /// <summary>Whether <paramref name="directory"/> looks like a Hugging Face model directory.</summary>
    public static bool IsModelDirectory(string directory) =>
        File.Exists(Path.Combine(directory, ConfigFile)) && SafeTensorsCheckpoint.IsIn(directory);

    /// <summary>
    /// The model in <paramref name="directory"/>, in eval mode. <paramref name="contextLength"/> caps the positions
    /// (and so the KV cache size) below config.json's max_position_embeddings.
    /// </summary>
    public static LlamaModel Load(string directory, int? contextLength = null)
    {
        TorchRuntime.EnsureLoaded();
        var config = HfModelConfig.Read(Path.Combine(directory, ConfigFile), contextLength);
        using var weights = SafeTensorsCheckpoint.Open(directory);
        var model = new LlamaModel(config);
        try
        {
            LoadParameters(model, weights);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        model.eval();
        return model;
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="folder"/> in Hugging Face's layout: model.safetensors in
    /// float32 (q/k rows back in rotate-half order) beside copies of the base folder's other files (config.json, the
    /// tokenizer's), so transformers, the engine and converters such as llama.cpp's load it as the base is loaded.
    /// </summary>
    public static void Save(LlamaModel model, string baseFolder, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(baseFolder).Where(f => !IsWeights(Path.GetFileName(f))))
        {
            ModelFiles.Copy(file, folder);
        }

        using var scope = NewDisposeScope();
        var tensors = model.named_parameters()
            .Select(p => (HfTensorNames.FromMeta(p.name), HfTensorNames.IsRotated(p.name) ? AsRotateHalf(p.parameter.detach(), model.Config.HeadDim).reshape(p.parameter.shape) : p.parameter.detach()))
            .ToList();
        SafeTensorsWriter.Write(Path.Combine(folder, SafeTensorsCheckpoint.SingleFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
    }

    private static bool IsWeights(string name) =>
        name.EndsWith(".safetensors", StringComparison.Ordinal) || name == SafeTensorsCheckpoint.IndexFile ||
        name.EndsWith(".bin", StringComparison.Ordinal) || name.EndsWith(".gguf", StringComparison.Ordinal) || name.EndsWith(".pth", StringComparison.Ordinal);

    private static void LoadParameters(LlamaModel model, SafeTensorsCheckpoint weights)
    {
        var config = model.Config;
        var unused = weights.Names.Where(n => !HfTensorNames.IsRedundant(n, config.SharedClassifier)).ToHashSet();
        using var noGrad = no_grad();
        using var views = NewDisposeScope();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var hfName = HfTensorNames.FromMeta(name);
            if (!unused.Remove(hfName))
            {
                throw new FormatException($"{weights.Describe()} is missing tensor {hfName}, which the config.json model needs.");
            }

            var entry = weights.Entry(hfName);
            if (!entry.Shape.SequenceEqual(parameter.shape))
            {
                throw new FormatException(
                    $"{weights.FileOf(hfName)}: tensor {hfName} has shape {entry.ShapeText}; config.json implies [{string.Join(", ", parameter.shape)}].");
            }

            weights.ReadInto(hfName, HfTensorNames.IsRotated(name) ? AsRotateHalf(parameter, config.HeadDim) : parameter);
        }

        if (unused.Count > 0)
        {
            var extra = unused.Order(StringComparer.Ordinal).First();
            throw new FormatException(
                $"{weights.FileOf(extra)} holds tensor {extra}, which a {config} model does not have ({unused.Count} such tensors).");
        }
    }

    /// <summary>
    /// Hugging Face stores each head's q/k rows rotate-half style (the first half of a head's dimensions pairs with
    /// the second half); the model rotates adjacent pairs, as Meta's weights do. This view of the parameter lists
    /// its rows in Hugging Face's order, so filling it undoes transformers' convert_llama_weights_to_hf permutation.
    /// </summary>
    internal static Tensor AsRotateHalf(Tensor rows, int headDim)
    {
        var heads = rows.shape[0] / headDim;
        long[] pairs = rows.dim() == 2 ? [heads, headDim / 2, 2, rows.shape[1]] : [heads, headDim / 2, 2];
        return rows.view(pairs).transpose(1, 2);
    }
}
