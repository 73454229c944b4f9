using System.CommandLine;
using AdaptLab.Cli.Output;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab show RUN</c>: a run's summary, gates and comparisons.</summary>
internal static class ShowCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var run = new Argument<string>("run") { Description = "Run id, unique prefix, or 'latest'" };
        var command = new Command("show", "Show a run's scores, gates and comparisons") { run };
        command.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var report = ReportBuilder.Build(store, StoreAccess.FindRun(store, parse.GetValue(run)!));
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonReport.Render(report with { Items = [] }));
            }
            else
            {
                ConsoleSummary.Write(context.Out, report);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
