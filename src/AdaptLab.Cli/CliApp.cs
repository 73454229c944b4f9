using System.CommandLine;
using AdaptLab.Cli.Commands;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Cli;

/// <summary>The <c>adaptlab</c> command line: parsing, and the one place errors become exit codes.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var store = new Option<string>("--store")
        {
            Description = "Run store (SQLite); default $ADAPTLAB_STORE or .adaptlab/adaptlab.db",
            Recursive = true,
            DefaultValueFactory = _ => Core.Store.RunStore.DefaultPath,
        };
        var json = new Option<bool>("--json") { Description = "Machine-readable JSON on stdout", Recursive = true };
        var options = new GlobalOptions(store, json);

        var root = new RootCommand("AdaptLab: measure prompting, RAG and fine-tuning on your task, then decide.")
        {
            InitCommand.Create(context),
            ValidateCommand.Create(context, options),
            IngestCommand.Create(context, options),
            ReadinessCommand.Create(context, options),
            FinetuneCommand.Create(context, options),
            ExportDataCommand.Create(context, options),
            ExportModelCommand.Create(context, options),
            ModelsCommand.Create(context, options),
            FinetuneJobCommand.Create(context, options),
            EvalCommand.Create(context, options),
            RunCommand.Create(context, options),
            StudyCommand.Create(context, options),
            RunsCommand.Create(context, options),
            ShowCommand.Create(context, options),
            CompareCommand.Create(context, options),
            GateCommand.Create(context, options),
            LabelCommand.Create(context, options),
            TrendCommand.Create(context, options),
            JudgeCommand.Create(context, options),
            JudgeCommand.CreateHuman(context, options),
            ReportCommand.Create(context, options),
            PlanCommand.Create(context, options),
            MetricsCommand.Create(context, options),
            PromptsCommand.Create(context, options),
            RefineCommand.Create(context, options),
            ServeCommand.Create(context),
        };
        root.Options.Add(store);
        root.Options.Add(json);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parsed.Errors)
            {
                context.Error.WriteLine("error: " + error.Message);
            }

            context.Error.WriteLine("Run `adaptlab --help` for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = new AnsiTextWriter(context.Out),
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
                // Time for a cancelled run to stop its calls and say how to resume, on a loaded machine too.
                ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
            }, cancellationToken);
        }
        catch (InputException e)
        {
            return Fail(context, ExitCodes.BadInput, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(context, ExitCodes.Interrupted, Interrupted(args));
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            return Fail(context, ExitCodes.Infrastructure, e.Message);
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("ADAPTLAB_DEBUG") is null)
        {
            return Fail(context, ExitCodes.Infrastructure, $"internal error ({e.GetType().Name}): {e.Message}. Set ADAPTLAB_DEBUG=1 for the stack trace and please report it.");
        }
    }

    internal static int Fail(CliContext context, int code, string message)
    {
        context.Error.WriteLine("error: " + message);
        return code;
    }

    /// <summary>What Ctrl+C or SIGTERM left, and the command that continues it: the interrupted one, with --resume.</summary>
    private static string Interrupted(string[] args) => args switch
    {
        ["eval" or "run" or "finetune", ..] =>
            $"interrupted; what was stored is kept, and `adaptlab {string.Join(' ', args.Where(a => a != "--resume").Select(Quoted))} --resume` continues where it stopped",
        [var command, ..] => $"interrupted; `adaptlab {command}` stopped before it finished",
        _ => "interrupted",
    };

    private static string Quoted(string arg) => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''")}'";
}

internal sealed record GlobalOptions(Option<string> Store, Option<bool> Json);
