using Spectre.Console;
using Spectre.Console.Rendering;

namespace AdaptLab.Cli.Output;

/// <summary>
/// A table at its natural width where the console has room for it; where it has not, each row as a block of
/// "column: value" lines under the row's first cell, so a narrow terminal neither wraps a cell mid-number nor cuts a name.
/// </summary>
internal sealed class FittedTable
{
    private readonly List<(string Header, bool Right)> columns = [];
    private readonly List<string[]> rows = [];

    /// <param name="header">Plain text.</param>
    public FittedTable Column(string header, bool rightAligned = false)
    {
        columns.Add((header, rightAligned));
        return this;
    }

    /// <param name="cells">Markup, one per column.</param>
    public void Row(params string[] cells) => rows.Add(cells);

    public void Write(IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var (header, right) in columns)
        {
            var column = new TableColumn(Markup.Escape(header)) { NoWrap = true };
            table.AddColumn(right ? column.RightAligned() : column);
        }

        rows.ForEach(row => table.AddRow(row));
        var natural = ((IRenderable)table).Measure(RenderOptions.Create(console, console.Profile.Capabilities), int.MaxValue).Max;
        if (natural <= console.Profile.Width)
        {
            console.Write(table);
            return;
        }

        foreach (var row in rows)
        {
            console.MarkupLine($"[bold]{row[0]}[/]");
            for (var i = 1; i < columns.Count; i++)
            {
                if (row[i] is not ("–" or ""))
                {
                    console.MarkupLine($"  {Markup.Escape(columns[i].Header)}: {row[i]}");
                }
            }
        }
    }
}
