namespace AdaptLab.Engine.Llama;

/// <summary>
/// Shape of a Llama-family decoder. <see cref="SharedClassifier"/> ties the output layer to the token embedding;
/// <see cref="HeadSize"/> overrides dim / n_heads; <see cref="AttentionBias"/> gives q/k/v biases (Qwen2);
/// <see cref="RopeScaling"/> stretches long rotary wavelengths (Llama 3.1).
/// </summary>
public sealed record LlamaConfig(
    int Dim,
    int HiddenDim,
    int Layers,
    int Heads,
    int KvHeads,
    int VocabSize,
    int MaxSeqLen,
    bool SharedClassifier,
    double NormEps = 1e-5,
    double RopeTheta = 10000.0,
    int? HeadSize = null,
    bool AttentionBias = false,
    Llama3RopeScaling? RopeScaling = null)
{
    public int HeadDim => HeadSize ?? (Dim / Heads);

    public int QueryDim => Heads * HeadDim;

    public int KvDim => KvHeads * HeadDim;

    /// <summary>Throws <see cref="FormatException"/> naming the first inconsistent field.</summary>
    public void Validate()
    {
        Require(Dim > 0 && HiddenDim > 0 && Layers > 0 && Heads > 0 && KvHeads > 0 && VocabSize > 0 && MaxSeqLen > 0,
            "every dimension must be positive");
        Require(HeadSize is > 0 || (HeadSize is null && Dim % Heads == 0), $"dim {Dim} is not a multiple of n_heads {Heads}");
        Require(Heads % KvHeads == 0, $"n_heads {Heads} is not a multiple of n_kv_heads {KvHeads}");
        Require(HeadDim % 2 == 0, $"head size {HeadDim} must be even for rotary embeddings");
        RopeScaling?.Validate();
    }

    private void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new FormatException($"Invalid Llama config ({this}): {problem}.");
        }
    }
}
