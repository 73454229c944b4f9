using System.Text;
using AdaptLab.Engine.Constrained;

namespace AdaptLab.Engine.Tests.Constrained;

public class JsonAutomatonTests
{
    private const string NestedSchema = """
        {"type":"object","properties":{
          "name":{"type":"string","maxLength":5},
          "inner":{"type":"object","properties":{"n":{"type":"integer"},"ok":{"type":"boolean"}},"required":["n"],"additionalProperties":false},
          "tags":{"type":"array","items":{"enum":["a","b",3,null]},"minItems":1,"maxItems":2}
        },"required":["inner"],"additionalProperties":false}
        """;

    [Theory]
    [InlineData("\"red\"")]
    [InlineData("\"green\"")]
    [InlineData("1")]
    [InlineData("12")]
    [InlineData("null")]
    [InlineData("{\"k\":[1]}")]
    public void Enums_accept_exactly_their_values(string text) =>
        Assert.True(Accepts("""{"enum":["red","green",1,12,null,{"k":[1]}]}""", text));

    [Theory]
    [InlineData("\"blue\"")]
    [InlineData("\"re\"")]
    [InlineData("2")]
    [InlineData("123")]
    [InlineData("nul")]
    [InlineData("{\"k\": [1]}")]
    public void Enums_reject_anything_else(string text) =>
        Assert.False(Accepts("""{"enum":["red","green",1,12,null,{"k":[1]}]}""", text));

    [Theory]
    [InlineData("""{"inner":{"n":12}}""")]
    [InlineData("""{ "inner": { "n": -3, "ok": true }, "name": "Bob" }""")]
    [InlineData("""{"tags":["a", 3],"inner":{"ok":false,"n":0}}""")]
    [InlineData("""{"inner":{"n":1},"tags":[null]}""")]
    public void Nested_objects_accept_valid_documents_in_any_property_order(string text)
    {
        Assert.True(Accepts(NestedSchema, text));
        Assert.Null(SchemaCheck.Problem(NestedSchema, text));
    }

    [Theory]
    [InlineData("{}")] // inner is required
    [InlineData("""{"inner":{}}""")] // n is required
    [InlineData("""{"inner":{"n":1.5}}""")] // not an integer
    [InlineData("""{"inner":{"n":1},"extra":1}""")]
    [InlineData("""{"inner":{"n":1},"inner":{"n":2}}""")] // duplicate key
    [InlineData("""{"inner":{"n":1},"tags":[]}""")] // minItems 1
    [InlineData("""{"inner":{"n":1},"tags":["a","b","a"]}""")] // maxItems 2
    [InlineData("""{"inner":{"n":1},"name":"toolong"}""")] // maxLength 5
    [InlineData("""{"inner":{"n":01}}""")] // leading zero
    [InlineData("""{"inner":{"n":1}}  """)] // nothing after the value
    [InlineData("""{  "inner":{"n":1}}""")] // one space at most
    [InlineData("""{"inner":{"n":1},}""")]
    public void Nested_objects_reject_invalid_documents(string text) => Assert.False(Accepts(NestedSchema, text));

    [Theory]
    [InlineData("0", true)]
    [InlineData("-1.5e+3", true)]
    [InlineData("12.0", true)]
    [InlineData("1E5", true)]
    [InlineData("-0", true)]
    [InlineData("01", false)]
    [InlineData("1.", false)]
    [InlineData("-", false)]
    [InlineData(".5", false)]
    [InlineData("+1", false)]
    [InlineData("1e", false)]
    [InlineData("1e+", false)]
    public void Numbers_follow_the_json_grammar(string text, bool valid) => Assert.Equal(valid, Accepts("""{"type":"number"}""", text));

    [Theory]
    [InlineData("7", true)]
    [InlineData("-12", true)]
    [InlineData("1.5", false)]
    [InlineData("1e3", false)]
    public void Integers_have_no_fraction_or_exponent(string text, bool valid) => Assert.Equal(valid, Accepts("""{"type":"integer"}""", text));

    [Theory]
    [InlineData("\"a\\\"b\"", true)] // escaped quote counts as one character
    [InlineData("\"\\u00e9\\n\\\\\"", true)]
    [InlineData("\"é€😀\"", true)] // UTF-8, one character each
    [InlineData("\"\\/\\b\\f\\r\\t\"", false)] // five characters > 4
    [InlineData("\"abcde\"", false)]
    [InlineData("\"\\x41\"", false)]
    [InlineData("\"\\ud800\"", false)] // a lone surrogate
    [InlineData("\"\\u12\"", false)]
    [InlineData("\"a\tb\"", false)] // raw control character
    public void Strings_handle_escapes_utf8_and_max_length(string text, bool valid) =>
        Assert.Equal(valid, Accepts("""{"type":"string","maxLength":4}""", text));

    [Fact]
    public void Invalid_utf8_never_gets_into_a_string()
    {
        var schema = JsonSchemaCompiler.Compile(SchemaCheck.Schema("""{"type":"string"}"""));
        var open = JsonAutomaton.Advance(JsonState.Start(schema), (byte)'"')!;

        Assert.Null(JsonAutomaton.Advance(open, [0xFF]));
        Assert.Null(JsonAutomaton.Advance(open, [0xC0, 0x80])); // overlong
        Assert.Null(JsonAutomaton.Advance(open, [0xED, 0xA0, 0x80])); // UTF-8 surrogate
        Assert.Null(JsonAutomaton.Advance(open, [0xE2, (byte)'"'])); // cut off by the closing quote
        Assert.NotNull(JsonAutomaton.Advance(open, [0xE2, 0x82, 0xAC, (byte)'"']));
    }

    [Theory]
    [InlineData("""{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2}""", """["x"]""", true)]
    [InlineData("""{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2}""", """[ "x", "y" ]""", true)]
    [InlineData("""{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2}""", "[]", false)]
    [InlineData("""{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2}""", """["a","b","c"]""", false)]
    [InlineData("""{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2}""", "[1]", false)]
    [InlineData("""{"type":"array","items":{"type":["integer","null"]}}""", "[1, null, -2]", true)]
    [InlineData("""{"type":"array"}""", """[{"any": [true, {"x": "y"}]}, 1.5, "s"]""", true)]
    [InlineData("""{"type":"object"}""", """{"free": {"keys": [1, null]}, "b": false}""", true)]
    public void Arrays_and_free_form_values(string schema, string text, bool valid) => Assert.Equal(valid, Accepts(schema, text));

    [Theory]
    [InlineData("""{"inner":{"n":12}}""")]
    [InlineData("""{ "tags": ["a", 3], "name": "Bé\u00e9""")]
    [InlineData("""{"name":"x\u00""")]
    public void Every_prefix_of_a_valid_document_closes_into_one_that_validates(string document)
    {
        var schema = JsonSchemaCompiler.Compile(SchemaCheck.Schema(NestedSchema));
        var bytes = Encoding.UTF8.GetBytes(document);
        for (var length = 0; length <= bytes.Length; length++)
        {
            var state = JsonAutomaton.Advance(JsonState.Start(schema), bytes.AsSpan(0, length));
            Assert.NotNull(state);
            var closed = bytes[..length].Concat(JsonAutomaton.Completion(state)).ToArray();

            Assert.True(JsonAutomaton.Advance(JsonState.Start(schema), closed)?.IsDone, Encoding.UTF8.GetString(closed));
            Assert.Null(SchemaCheck.Problem(NestedSchema, Encoding.UTF8.GetString(closed)));
        }
    }

    /// <summary>Tool calls: a list of single-member objects, each tool's arguments under its own schema; [] is no call.</summary>
    private const string ToolCallsSchema = """
        {"type":"array","items":{"type":"object","minProperties":1,"maxProperties":1,"properties":{
          "get_weather":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]},
          "stop":{"type":"object","properties":{}}}}}
        """;

    [Theory]
    [InlineData("""[{"get_weather":{"city":"Oslo"}}]""", true)]
    [InlineData("""[{"get_weather":{"city":"Oslo","days":3}},{"stop":{}}]""", true)]
    [InlineData("""[]""", true)]
    [InlineData("""[{}]""", false)]
    [InlineData("""[{"get_weather":{"city":"Oslo"},"stop":{}}]""", false)]
    [InlineData("""[{"weather":{"city":"Oslo"}}]""", false)]
    [InlineData("""[{"get_weather":{"days":3}}]""", false)]
    [InlineData("""[{"get_weather":{"city":"Oslo","days":"3"}}]""", false)]
    public void Exactly_one_member_objects_constrain_tool_names_and_each_tools_arguments(string text, bool valid) =>
        Assert.Equal(valid, Accepts(ToolCallsSchema, text));

    [Theory]
    [InlineData("""[{"get_weather":{"city":"Os""")]
    [InlineData("""[{"st""")]
    [InlineData("""[{""")]
    public void A_tool_call_closes_early_into_a_valid_one(string prefix)
    {
        var schema = JsonSchemaCompiler.Compile(SchemaCheck.Schema(ToolCallsSchema));
        var state = JsonAutomaton.Advance(JsonState.Start(schema), Encoding.UTF8.GetBytes(prefix))!;
        var closed = prefix + Encoding.UTF8.GetString(JsonAutomaton.Completion(state));

        Assert.True(Accepts(ToolCallsSchema, closed), closed);
    }

    [Theory]
    [InlineData("""{"type":"string","pattern":"^a"}""", "pattern")]
    [InlineData("""{"type":"object","properties":{"a":{}},"minProperties":2}""", "minProperties = maxProperties = 1")]
    [InlineData("""{"type":"object","required":["x"]}""", "'x'")]
    [InlineData("""{"type":"array","minItems":3,"maxItems":2}""", "maxItems")]
    [InlineData("false", "false")]
    public void Unsupported_or_unsatisfiable_schemas_are_rejected_by_name(string schema, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => JsonSchemaCompiler.Compile(SchemaCheck.Schema(schema)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static bool Accepts(string schema, string text)
    {
        var state = JsonAutomaton.Advance(JsonState.Start(JsonSchemaCompiler.Compile(SchemaCheck.Schema(schema))), Encoding.UTF8.GetBytes(text));
        // A top-level number stays open for more digits, so a complete document is one needing no more bytes.
        return state is not null && (state.IsDone || JsonAutomaton.Completion(state).Length == 0);
    }
}
