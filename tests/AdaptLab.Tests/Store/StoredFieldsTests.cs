using AdaptLab.Core.Items;
using AdaptLab.Core.Store;

namespace AdaptLab.Tests.Store;

/// <summary><c>items.fields</c> is stored data: its text must stay what earlier versions wrote, and read back whole.</summary>
public class StoredFieldsTests
{
    private static readonly DataItem Item = new(
        3, "q3", "What is 2+2?", ["4"],
        new Dictionary<string, string>
        {
            ["input"] = "What is 2+2?",
            ["expected"] = "4",
            ["prompt"] = "What is 2+2?",
            ["notes"] = "café \"quoted\" <b> & 😀\nline",
            ["tests"] = "[\"assert f() == 4\"]",
        },
        "data.jsonl:4")
    { Structured = new HashSet<string> { "tests" } };

    [Fact]
    public void Writes_the_text_earlier_versions_wrote()
    {
        // Input and expected have columns of their own; a field equal to the input is null; HTML characters unescaped, astral ones as surrogates.
        Assert.Equal(
            "{\"prompt\":null,\"notes\":\"café \\\"quoted\\\" <b> & \\uD83D\\uDE00\\nline\",\"tests\":\"[\\\"assert f() == 4\\\"]\",\"$structured\":[\"tests\"]}",
            StoredFields.Write(Item));
    }

    [Fact]
    public void Reads_back_every_field()
    {
        var (fields, structured) = StoredFields.Read(StoredFields.Write(Item), Item.Input, Item.Expected);

        Assert.Equal(Item.Fields.OrderBy(f => f.Key), fields.OrderBy(f => f.Key));
        Assert.Equal(["tests"], structured);
    }

    [Fact]
    public void Reads_rows_of_the_older_layout_with_every_field_a_string()
    {
        var (fields, structured) = StoredFields.Read("{\"input\":\"hi\",\"expected\":\"greeting\",\"lang\":\"en\"}", "hi", ["greeting"]);

        Assert.Equal("en", fields["lang"]);
        Assert.Equal("greeting", fields["expected"]);
        Assert.Empty(structured);
    }
}
