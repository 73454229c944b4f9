using System.Text.Json;
using System.Text.Json.Serialization;
using AdaptLab.Core.Store;

namespace AdaptLab.Core.Ladder;

/// <summary>A skip in a study's JSON is its words, as it was before <see cref="SkipReason"/>, so scripts reading <c>reason</c> keep working.</summary>
internal sealed class RungSkipJson : JsonConverter<RungSkip>
{
    public override RungSkip Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SkipReasonColumn.Parse(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, RungSkip value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}
