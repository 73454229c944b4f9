namespace AdaptLab.Engine.Generation;

/// <summary>
/// One step of a completion: a sampled token (<see cref="TokenId"/>) with the text it releases, which may be
/// empty while a UTF-8 character or a possible stop sequence is incomplete. The last chunk of a completion has
/// no token and carries the <see cref="FinishReason"/> and any text still held back.
/// </summary>
public sealed record CompletionChunk(string Text, int? TokenId, FinishReason? FinishReason = null);

public enum FinishReason
{
    /// <summary>The model produced an end-of-sequence (or, as llama2.c's stories end, a beginning-of-sequence) token.</summary>
    EndOfSequence,

    /// <summary>The decoded text reached one of the stop sequences.</summary>
    StopSequence,

    /// <summary>The token limit or the model's context was reached.</summary>
    Length,
}
