using AdaptLab.Retrieval.Ingest;
using Spectre.Console;

namespace AdaptLab.Cli.Output;

/// <summary>Two bars for a corpus ingest: the files read (bytes) and the chunks embedded.</summary>
internal sealed class IngestBars(ProgressContext progress) : IProgress<IngestProgress>
{
    private readonly Lock gate = new();
    private ProgressTask? reading;
    private ProgressTask? embedding;

    public void Report(IngestProgress value)
    {
        lock (gate)
        {
            if (value.Phase == IngestPhase.Reading)
            {
                reading ??= progress.AddTask("corpus: reading", maxValue: Math.Max(1, value.Total));
                reading.Value = value.Done;
                reading.Description = value.File is null ? "corpus: read" : "corpus: " + Markup.Escape(Shorten(value.File));
            }
            else if (value.Total > 0)
            {
                embedding ??= progress.AddTask("corpus: embedding chunks", maxValue: value.Total);
                embedding.Value = value.Done;
            }
        }
    }

    private static string Shorten(string file) => file.Length <= 40 ? file : "…" + file[^39..];
}
