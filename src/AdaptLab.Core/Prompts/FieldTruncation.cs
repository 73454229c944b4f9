using AdaptLab.Abstractions;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Prompts;

/// <summary>Applies the task file's <c>data.truncate</c>: named fields cut to their first N tokens of the variant's model.</summary>
public static class FieldTruncation
{
    /// <exception cref="InputException">A field is to be truncated but the model has no tokenizer here, or the field is a list or object.</exception>
    public static Func<IReadOnlyDictionary<string, string>, IReadOnlySet<string>, IReadOnlyDictionary<string, string>> For(
        IReadOnlyDictionary<string, int>? truncate, IChatClient? client, string taskPath, string variant)
    {
        if (truncate is null || truncate.Count == 0)
        {
            return (fields, _) => fields;
        }

        var tokenizer = client?.GetService<IModelTokenizer>() ?? throw new InputException(taskPath, null, "data.truncate",
            $"truncating counts tokens with the model's own tokenizer, which only local: models expose here; variant '{variant}' uses a remote model");
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
                    cut[name] = tokenizer.Truncate(text, tokens);
                }
            }

            return cut;
        };
    }
}
