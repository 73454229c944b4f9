using Microsoft.Extensions.AI;

namespace AdaptLab.Abstractions;

/// <summary>
/// A model's own tokenizer, offered through <see cref="IChatClient.GetService"/> by models that have one
/// in-process (<c>local:</c>), so fields can be cut to a number of the model's tokens and prompts checked
/// against the context window before any call.
/// </summary>
public interface IModelTokenizer
{
    /// <summary>The model's context window in tokens, prompt and reply together.</summary>
    int ContextLength { get; }

    /// <summary>The tokens of <paramref name="text"/> alone: no beginning-of-sequence token, no chat template.</summary>
    int CountTokens(string text);

    /// <summary>The longest start of <paramref name="text"/> that is at most <paramref name="maxTokens"/> tokens.</summary>
    string Truncate(string text, int maxTokens);

    /// <summary>The prompt's length in tokens as the model will see it: rendered with its chat template, if it has one.</summary>
    int CountPromptTokens(IEnumerable<ChatMessage> messages);
}
