namespace AdaptLab.Engine;

/// <summary>
/// A prompt with more tokens than the model's context, refused right after tokenising and before it waits
/// for the model. <see cref="ArgumentException.ParamName"/> is <c>messages</c>, the chat request's field.
/// </summary>
public sealed class ContextLengthExceededException(int promptTokens, int contextLength)
    : ArgumentException(
        $"This model's maximum context length is {contextLength} tokens. However, your messages resulted in {promptTokens} tokens. Please reduce the length of the messages.",
        "messages")
{
    /// <summary>The prompt's tokens, BOS and chat template included.</summary>
    public int PromptTokens { get; } = promptTokens;

    /// <summary>The most tokens the model's context holds.</summary>
    public int ContextLength { get; } = contextLength;
}
