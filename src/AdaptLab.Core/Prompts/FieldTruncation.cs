using AdaptLab.Abstractions;
using AdaptLab.Retrieval.Ingest;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Prompts;

/// <summary>
/// Applies the task file's <c>data.truncate</c>: named fields cut to their first N tokens of the variant's model, or of
/// o200k_base (GPT-4o's tokenizer) for a remote model, whose own tokenizer is not here.
/// </summary>
internal static class FieldTruncation
{
    /// <exception cref="InputException">A field to be truncated is a list or object.</exception>
    public static Func<IReadOnlyDictionary<string, string>, IReadOnlySet<string>, IReadOnlyDictionary<string, string>> For(
        IReadOnlyDictionary<string, int>? truncate, IChatClient? client, string taskPath, string variant)
    {
        if (truncate is null || truncate.Count == 0)
        {
            return (fields, _) => fields;
        }

        Func<string, int, string> cutTo = client?.GetService<IModelTokenizer>() is { } tokenizer ? tokenizer.Truncate : TokenChunker.Truncate;
        return (fields, structured) =>
        {
            var cut = new Dictionary<string, string>(fields, StringComparer.Ordinal);
            foreach (var (name, tokens) in truncate)
            {
                if (structured.Contains(name))
                {
                    throw new InputException(taskPath, null, $"data.truncate.{name}", "is a list or object field; only text fields can be truncated");
                }

                if (cut.TryGetValue(name, out var text))
                {
                    cut[name] = cutTo(text, tokens);
                }
            }

            return cut;
        };
    }
}
