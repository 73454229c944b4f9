namespace AdaptLab.Core.Models;

/// <summary>
/// A model's own tokenizer, offered through <see cref="Microsoft.Extensions.AI.IChatClient.GetService"/> by
/// models that have one in-process (<c>local:</c>), so fields can be cut to a number of the model's tokens.
/// </summary>
public interface IModelTokenizer
{
    /// <summary>The longest start of <paramref name="text"/> that is at most <paramref name="maxTokens"/> tokens.</summary>
    string Truncate(string text, int maxTokens);
}
