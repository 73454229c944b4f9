using AdaptLab.Core.Models.Hub;
using Spectre.Console;

namespace AdaptLab.Cli.Models;

/// <summary>A download with one Spectre progress bar per file, showing sizes and speed.</summary>
internal static class HubDownloadBars
{
    public static async Task<string> DownloadAsync(IAnsiConsole console, string name, CancellationToken cancellationToken)
    {
        var folder = string.Empty;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var reporter = new Reporter(update =>
                {
                    lock (bars)
                    {
                        if (!bars.TryGetValue(update.File, out var bar))
                        {
                            bar = bars[update.File] = progress.AddTask(Markup.Escape(update.File), maxValue: Math.Max(1, update.Total ?? 1));
                        }

                        bar.MaxValue = Math.Max(1, update.Total ?? update.Downloaded);
                        bar.Value = update.Downloaded;
                    }
                });
                folder = await LocalModelProvider.DownloadAsync(name, reporter, cancellationToken);
            });
        return folder;
    }

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Reporter(Action<HubDownloadProgress> report) : IProgress<HubDownloadProgress>
    {
        public void Report(HubDownloadProgress value) => report(value);
    }
}
