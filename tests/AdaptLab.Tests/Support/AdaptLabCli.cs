using AdaptLab.Cli;
using AdaptLab.Core.Models;
using Spectre.Console;

namespace AdaptLab.Tests.Support;

/// <summary>Runs the CLI in-process with captured output.</summary>
internal static class AdaptLabCli
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(CliContext.DefaultProviders(), args);

    /// <param name="providers">The models and encoder the commands open, e.g. a <see cref="CountingEncoder"/>'s.</param>
    public static async Task<CliResult> RunAsync(ModelProviders providers, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 240;
        var code = await CliApp.RunAsync(args, new CliContext(console, error, providers, Interactive: false));
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
