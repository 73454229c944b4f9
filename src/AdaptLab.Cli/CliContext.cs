using AdaptLab.Cli.Models;
using AdaptLab.Cli.Models.Engine;
using AdaptLab.Core.Models;
using Spectre.Console;

namespace AdaptLab.Cli;

/// <summary>What commands write to and call out to; tests pass captured consoles and their own providers.</summary>
internal sealed record CliContext(IAnsiConsole Out, TextWriter Error, ModelProviders Providers, bool Interactive)
{
    /// <summary>The remote providers and the in-process engine.</summary>
    public static ModelProviders DefaultProviders()
    {
        var providers = ModelProviders.CreateDefault();
        providers.Add(new LocalModelProvider());
        providers.SentenceEncoder = () => EngineLoader.Get().OpenSentenceEncoder();
        providers.Trainer = () => EngineLoader.Get() as AdaptLab.Abstractions.ILocalTrainer
            ?? throw new InvalidOperationException("this AdaptLab.Engine add-on has no trainer: update it to the CLI's version");
        providers.Exporter = () => EngineLoader.Get() as AdaptLab.Abstractions.IModelExporter
            ?? throw new InvalidOperationException("this AdaptLab.Engine add-on has no model export: update it to the CLI's version");
        return providers;
    }

    public static CliContext ForProcess()
    {
        if (Console.IsOutputRedirected)
        {
            // Spectre takes 80 columns for redirected output; a pipe read in a terminal gets that terminal's width where the
            // shell exports it, and a log 240, so tables stay tables (wider ones become blocks: FittedTable).
            AnsiConsole.Console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns >= 40 ? columns : 240;
        }

        return new(
        AnsiConsole.Console,
        Console.Error,
        DefaultProviders(),
        Interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null);
    }
}
