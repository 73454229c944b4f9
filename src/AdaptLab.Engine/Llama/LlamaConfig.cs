namespace AdaptLab.Engine.Llama;

/// <summary>Shape of a Llama-family decoder. <see cref="SharedClassifier"/> ties the output layer to the token embedding.</summary>
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
    double RopeTheta = 10000.0)
{
    public int HeadDim => Dim / Heads;

    public int KvDim => KvHeads * HeadDim;

    /// <summary>Throws <see cref="FormatException"/> naming the first inconsistent field.</summary>
    public void Validate()
    {
        Require(Dim > 0 && HiddenDim > 0 && Layers > 0 && Heads > 0 && KvHeads > 0 && VocabSize > 0 && MaxSeqLen > 0,
            "every dimension must be positive");
        Require(Dim % Heads == 0, $"dim {Dim} is not a multiple of n_heads {Heads}");
        Require(Heads % KvHeads == 0, $"n_heads {Heads} is not a multiple of n_kv_heads {KvHeads}");
        Require(HeadDim % 2 == 0, $"head size {HeadDim} must be even for rotary embeddings");
    }

    private void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new FormatException($"Invalid Llama config ({this}): {problem}.");
        }
    }
}
