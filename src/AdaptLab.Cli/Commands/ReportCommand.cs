using System.CommandLine;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab report RUN --format html|md|json|csv</c>: write a report file (atomically) or print it.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var run = new Argument<string>("run") { Description = "Run id, unique prefix, or 'latest'" };
        var format = new Option<string>("--format", "-f") { Description = "html, md, json, or csv (one row per item and variant)", DefaultValueFactory = _ => "html" };
        format.AcceptOnlyFromAmong("html", "md", "json", "csv");
        var output = new Option<string?>("--output", "-o") { Description = "File to write; by default report-RUN.EXT, or stdout with -o -" };
        var command = new Command("report", "Write a run's report as self-contained HTML, Markdown, JSON or CSV") { run, format, output };
        command.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var info = StoreAccess.FindRun(store, parse.GetValue(run)!);
            var report = ReportBuilder.Build(store, info);
            var kind = parse.GetValue(format)!;
            var text = kind switch
            {
                "md" => MarkdownReport.Render(report),
                "json" => JsonReport.Render(report),
                "csv" => CsvReport.Render(report),
                _ => HtmlReport.Render(report),
            };
            var path = parse.GetValue(output) ?? $"report-{info.Id}.{kind}";
            if (path == "-")
            {
                context.Out.Profile.Out.Writer.Write(text);
                return ExitCodes.Ok;
            }

            AtomicFile.Write(path, text);
            if (!parse.GetValue(options.Json))
            {
                context.Error.WriteLine($"wrote {path}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
