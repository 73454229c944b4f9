using System.CommandLine;
using System.Text.Json;
using AdaptLab.Cli.Output;
using AdaptLab.Core.Ladder;
using AdaptLab.Core.Reports;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab study [ID]</c>: a stored study's ladder and recommendation, on the console or as HTML, Markdown or JSON.</summary>
internal static class StudyCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var id = new Argument<string>("study") { Description = "Study id, unique prefix, or 'latest'", DefaultValueFactory = _ => "latest" };
        var html = new Option<string?>("--html") { Description = "Write the HTML report here" };
        var markdown = new Option<string?>("--md") { Description = "Write the Markdown report here" };
        var command = new Command("study", "Show a study of `adaptlab run`: the ladder, why items fail, costs and the recommendation") { id, html, markdown };
        command.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var study = store.FindStudy(parse.GetValue(id)!) ?? throw new InputException(store.Path, null, null, $"no study '{parse.GetValue(id)}' (`adaptlab run TASK` makes one)");
            var report = StudyReportBuilder.Build(store, study);
            WriteFiles(context, report, parse.GetValue(html), parse.GetValue(markdown), parse.GetValue(options.Json));
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(Json(report));
            }
            else
            {
                StudySummary.Write(context.Out, report);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Json(StudyReport report) => JsonSerializer.Serialize(report, JsonReport.Options);

    public static void WriteFiles(CliContext context, StudyReport report, string? html, string? markdown, bool quiet)
    {
        foreach (var (path, render) in new (string?, Func<StudyReport, string>)[] { (html, StudyPage.Html), (markdown, StudyPage.Markdown) })
        {
            if (path is not null)
            {
                AtomicFile.Write(path, render(report));
                if (!quiet)
                {
                    context.Error.WriteLine($"wrote {path}");
                }
            }
        }
    }
}
