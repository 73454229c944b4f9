using AdaptLab.Core.Models.Hub;

namespace AdaptLab.Cli.Models;

/// <summary>
/// Download progress as plain lines (a file's start and end), for logs and for when another live display
/// (eval's progress bars) owns the terminal.
/// </summary>
internal sealed class HubDownloadLog(TextWriter writer) : IProgress<HubDownloadProgress>
{
    private string? current;

    public void Report(HubDownloadProgress value)
    {
        lock (writer)
        {
            if (value.File != current)
            {
                current = value.File;
                writer.WriteLine($"downloading {value.File} ({value.FileNumber}/{value.FileCount}{(value.Total is { } t ? ", " + ByteSize.Format(t) : string.Empty)})");
            }

            if (value.Downloaded == value.Total)
            {
                writer.WriteLine($"downloaded {value.File}");
            }
        }
    }
}
