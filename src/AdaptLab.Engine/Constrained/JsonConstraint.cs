namespace AdaptLab.Engine.Constrained;

/// <summary>
/// The state of one constrained generation: which tokens may come next, given the token budget left, so the
/// output is always a complete document valid against the schema; the text ends at the value's last byte.
/// </summary>
internal sealed class JsonConstraint(JsonTokenMasker masker)
{
    private JsonState state = JsonState.Start(masker.Schema);

    /// <summary>The top-level value is complete and nothing may follow it.</summary>
    public bool IsFinished => state.IsDone;

    /// <summary>Bytes needed at least to close the document from here (a token each, at worst).</summary>
    public int TokensToClose => masker.Mask(state).Completion;

    public bool[] AllowedTokens(int tokensLeft) => masker.Allowed(state, tokensLeft);

    /// <summary>Moves past a generated token, given the bytes it added to the text.</summary>
    public void Accept(int token, ReadOnlySpan<byte> text)
    {
        if (masker.Vocabulary.EndsText(token))
        {
            return;
        }

        state = JsonAutomaton.Advance(state, text)
            ?? throw new InvalidOperationException($"Token {token} does not continue the constrained JSON; its mask should have excluded it.");
    }
}
