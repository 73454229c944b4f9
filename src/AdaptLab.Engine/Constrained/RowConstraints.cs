using AdaptLab.Engine.Generation;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Constrained;

/// <summary>The JSON constraint of each row of a batch: the logits mask per step, and the rows' progress.</summary>
internal sealed class RowConstraints
{
    private readonly JsonConstraint[] constraints;
    private readonly int[] previous;
    private readonly ITokenizer tokenizer;

    /// <exception cref="ArgumentException">The token limit cannot hold the shortest valid document.</exception>
    public RowConstraints(JsonTokenMasker masker, ITokenizer tokenizer, IReadOnlyList<IReadOnlyList<int>> prompts, int tokenLimit)
    {
        this.tokenizer = tokenizer;
        constraints = [.. prompts.Select(_ => new JsonConstraint(masker))];
        previous = [.. prompts.Select(p => p[^1])];
        if (tokenLimit < constraints[0].TokensToClose)
        {
            throw new ArgumentException(
                $"The token limit {tokenLimit} cannot hold a document valid against the schema; the shortest needs {constraints[0].TokensToClose} tokens.");
        }
    }

    /// <summary>A [rows, vocab] mask of the tokens each unfinished row may not take; finished rows are not masked.</summary>
    public Tensor Blocked(Func<int, bool> finished, int tokensLeft)
    {
        var vocab = tokenizer.VocabSize;
        var blocked = new bool[constraints.Length * vocab];
        for (var row = 0; row < constraints.Length; row++)
        {
            if (!finished(row))
            {
                var allowed = constraints[row].AllowedTokens(tokensLeft);
                for (var id = 0; id < vocab; id++)
                {
                    blocked[(row * vocab) + id] = !allowed[id];
                }
            }
        }

        return tensor(blocked, [constraints.Length, vocab]);
    }

    /// <summary>Moves a row past its sampled token; true when its document is now complete.</summary>
    public bool Accept(int row, int token)
    {
        constraints[row].Accept(token, tokenizer.TokenBytes(previous[row], token));
        previous[row] = token;
        return constraints[row].IsFinished;
    }
}
