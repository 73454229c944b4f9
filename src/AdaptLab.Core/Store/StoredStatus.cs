using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdaptLab.Core.Store;

/// <summary>The text a status column holds for this member: the one place a status's stored word is written.</summary>
[AttributeUsage(AttributeTargets.Field)]
internal sealed class StoredAsAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>
/// A status as a text column holds it (runs.status, studies.status, study_rungs.status): <see cref="Known"/> is the status
/// when this version writes that text, and null when it does not (a store written by another version); <see cref="Text"/>
/// is the text as stored either way. So a status this version does not know is read, shown and written back as it was
/// stored, never refused and never guessed; code asks <see cref="Known"/>. A status converts from its enum implicitly.
/// </summary>
/// <typeparam name="T">An enum whose every member carries <see cref="StoredAsAttribute"/>.</typeparam>
[JsonConverter(typeof(StoredStatusJson))]
internal readonly record struct StoredStatus<T>(T? Known, string Text)
    where T : struct, Enum
{
    private static readonly Dictionary<T, string> Texts = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToDictionary(f => (T)f.GetValue(null)!, f => f.GetCustomAttribute<StoredAsAttribute>()?.Text
            ?? throw new InvalidOperationException($"{typeof(T).Name}.{f.Name} has no [StoredAs] text"));

    public static implicit operator StoredStatus<T>(T status) => new(status, TextOf(status));

    /// <summary>The text stored for <paramref name="status"/>.</summary>
    public static string TextOf(T status) => Texts.TryGetValue(status, out var text) ? text
        : throw new ArgumentOutOfRangeException(nameof(status), status, $"no {typeof(T).Name}");

    /// <summary>The stored text read back: the status that writes it, or unknown with the text kept.</summary>
    public static StoredStatus<T> Parse(string text)
    {
        foreach (var (status, stored) in Texts)
        {
            if (stored == text)
            {
                return new(status, text);
            }
        }

        return new(null, text);
    }

    public override string ToString() => Text;
}

/// <summary>A <see cref="StoredStatus{T}"/> in JSON is its text, as the status string was before it was typed.</summary>
internal sealed class StoredStatusJson : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(StoredStatus<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()))!;

    private sealed class Converter<T> : JsonConverter<StoredStatus<T>>
        where T : struct, Enum
    {
        public override StoredStatus<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            StoredStatus<T>.Parse(reader.GetString() ?? throw new JsonException($"a {typeof(T).Name} is a string"));

        public override void Write(Utf8JsonWriter writer, StoredStatus<T> value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
    }
}
