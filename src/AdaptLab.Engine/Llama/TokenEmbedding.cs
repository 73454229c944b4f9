using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// The token embedding table [vocab, dim], allocated uninitialized for a loader to fill. TorchSharp's nn.Embedding
/// initializes its table on the CPU even when asked for the meta device, which for a 49k-token vocabulary is a
/// transient 113 MB beside the model.
/// </summary>
internal sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public TokenEmbedding(int vocabSize, int dim) : base(nameof(TokenEmbedding))
    {
        weight = nn.Parameter(empty(vocabSize, dim));
        register_parameter("weight", weight);
    }

    public Tensor Weight => weight;

    /// <summary>The rows of tokens [B, T] (int64), as [B, T, dim].</summary>
    public override Tensor forward(Tensor tokens) =>
        weight.index_select(0, tokens.flatten()).view(tokens.shape[0], tokens.shape[1], weight.shape[1]);
}
