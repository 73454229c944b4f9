using AdaptLab.Tests.Support;
using Microsoft.VisualBasic.FileIO;

namespace AdaptLab.Metrics.Tests.Classification;

/// <summary>The gold intents of the BANKING77 test split (a few texts span lines, hence a real CSV parser).</summary>
internal static class Banking77
{
    public static string[] TestLabels()
    {
        using var parser = new TextFieldParser(SharedData.Path("datasets", "banking77", "test.csv"))
        {
            TextFieldType = FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
        };
        parser.SetDelimiters(",");
        var header = parser.ReadFields();
        Assert.Equal(["text", "category"], header!);
        var labels = new List<string>();
        while (parser.ReadFields() is { } fields)
        {
            labels.Add(fields[1]);
        }

        return [.. labels];
    }
}
