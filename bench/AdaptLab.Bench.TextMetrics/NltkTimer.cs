using System.Diagnostics;
using System.Text.Json;
using AdaptLab.Metrics;

namespace AdaptLab.Bench.TextMetrics;

/// <summary>
/// Times NLTK's corpus_bleu and corpus_chrf (Debian python3-nltk) on the same pairs, written to a
/// temporary file. NLTK takes tokens for BLEU, so str.split() is timed with it.
/// </summary>
internal static class NltkTimer
{
    public const string Interpreter = "/usr/bin/python3";

    private const string Script = """
        import json, sys, time
        from nltk.translate.bleu_score import corpus_bleu
        from nltk.translate.chrf_score import corpus_chrf
        hyps, refs = [], []
        with open(sys.argv[1], encoding='utf-8') as f:
            for line in f:
                h, r = line.rstrip('\n').split('\t')
                hyps.append(h)
                refs.append(r)
        out = {'bleu': [], 'chrf': []}
        for _ in range(int(sys.argv[2])):
            t = time.perf_counter()
            out['bleu_score'] = corpus_bleu([[r.split()] for r in refs], [h.split() for h in hyps])
            out['bleu'].append(time.perf_counter() - t)
            t = time.perf_counter()
            out['chrf_score'] = corpus_chrf(refs, hyps)
            out['chrf'].append(time.perf_counter() - t)
        print(json.dumps(out))
        """;

    public static (double[] Bleu, double[] Chrf, double BleuScore, double ChrfScore) Time(IReadOnlyList<MetricItem> pairs, int runs)
    {
        if (!File.Exists(Interpreter))
        {
            throw new InvalidOperationException($"{Interpreter} is missing; install Debian's python3-nltk");
        }

        var path = Path.Combine(Path.GetTempPath(), $"adaptlab-bench-pairs-{Environment.ProcessId}.tsv");
        try
        {
            File.WriteAllLines(path, pairs.Select(p => p.Prediction + "\t" + p.References[0]));
            var psi = new ProcessStartInfo(Interpreter, ["-c", Script, path, runs.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"NLTK timing failed (is python3-nltk installed?):\n{stderr.Result}");
            }

            var root = JsonDocument.Parse(stdout.Result).RootElement;
            return (
                root.GetProperty("bleu").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
                root.GetProperty("chrf").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
                root.GetProperty("bleu_score").GetDouble(),
                root.GetProperty("chrf_score").GetDouble());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
