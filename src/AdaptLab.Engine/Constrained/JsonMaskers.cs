using System.Text.Json;

namespace AdaptLab.Engine.Constrained;

/// <summary>
/// One <see cref="JsonTokenMasker"/> per schema for a model's vocabulary, kept across generations so the
/// per-state masks computed for one request serve the next.
/// </summary>
internal sealed class JsonMaskers(Func<ITokenVocabulary> vocabulary)
{
    private readonly Lazy<ITokenVocabulary> vocabulary = new(vocabulary);
    private readonly Dictionary<string, JsonTokenMasker> maskers = [];

    /// <exception cref="ArgumentException">The schema uses what constrained decoding does not support.</exception>
    public JsonTokenMasker For(JsonElement schema)
    {
        var key = schema.GetRawText();
        lock (maskers)
        {
            if (!maskers.TryGetValue(key, out var masker))
            {
                masker = new JsonTokenMasker(JsonSchemaCompiler.Compile(schema), vocabulary.Value);
                maskers[key] = masker;
            }

            return masker;
        }
    }
}
