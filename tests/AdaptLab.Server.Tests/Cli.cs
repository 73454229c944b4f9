using AdaptLab.Cli;
using Spectre.Console;

namespace AdaptLab.Server.Tests;

/// <summary>The CLI in this process with captured output, as a client of the server under test.</summary>
internal static class Cli
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Profile.Width = 240;
        var code = await CliApp.RunAsync(args, new CliContext(console, error, CliContext.DefaultProviders(), Interactive: false));
        return (code, output.ToString(), error.ToString());
    }
}
