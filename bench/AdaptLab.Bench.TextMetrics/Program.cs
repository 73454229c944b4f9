using System.Diagnostics;
using System.Globalization;
using AdaptLab.Bench.TextMetrics;
using AdaptLab.Metrics;
using AdaptLab.Metrics.Text;

// dotnet run -c Release --project bench/AdaptLab.Bench.TextMetrics [-- --pairs N --runs R --seed S --no-nltk]
var pairsCount = Option("--pairs", 100_000);
var runs = Option("--runs", 3);
var seed = Option("--seed", 7);

var pairs = SentencePairs.Build(FindSquad(), pairsCount, seed);
Console.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, {Environment.ProcessorCount} cores");
Console.WriteLine($"{pairs.Count:N0} sentence pairs from SQuAD dev contexts (seed {seed}), {runs} runs each, medians");

var withNltk = !args.Contains("--no-nltk");
Console.WriteLine(withNltk ? "timing NLTK (python3-nltk) ..." : "NLTK skipped (--no-nltk)");
var nltk = withNltk ? NltkTimer.Time(pairs, runs) : ([double.NaN], [double.NaN], double.NaN, double.NaN);

var bleu = new BleuMetric(new BleuOptions());
var bleuNone = new BleuMetric(new BleuOptions(Tokenize: BleuTokenizer.None));
var chrf = new ChrfMetric(new ChrfOptions(Beta: 3));
var rougeL = new RougeMetric("rougeL");
var ours = new (string Name, IMetric Metric)[]
{
    ("bleu 13a", bleu), ("bleu none", bleuNone), ("chrf", chrf), ("rougeL", rougeL),
}.Select(m => (m.Name, Seconds: Time(m.Metric), Value: m.Metric.Compute(pairs).Value)).ToDictionary(m => m.Name);

var nltkBleu = Median(nltk.Bleu);
var nltkChrf = Median(nltk.Chrf);
Console.WriteLine();
Console.WriteLine($"{"metric",-28}{"NLTK s",10}{"AdaptLab s",12}{"ratio",9}{"pairs/s",14}");
Row("corpus BLEU (13a, sacrebleu)", nltkBleu, ours["bleu 13a"].Seconds);
Row("corpus BLEU (tokenize none)", nltkBleu, ours["bleu none"].Seconds);
Row("corpus chrF (n=6, beta 3)", nltkChrf, ours["chrf"].Seconds);
Row("ROUGE-L (rouge-score)", double.NaN, ours["rougeL"].Seconds);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"scores (different definitions, for sanity): NLTK BLEU {nltk.BleuScore * 100:F2}, ours {ours["bleu 13a"].Value:F2}; " +
    $"NLTK chrF {nltk.ChrfScore * 100:F2} (sentence average), ours {ours["chrf"].Value:F2}; ROUGE-L F {ours["rougeL"].Value:F4}"));
return;

double Time(IMetric metric)
{
    // Two untimed runs let tiered JIT finish optimising the hot loops.
    metric.Compute(pairs);
    metric.Compute(pairs);
    var seconds = new double[runs];
    for (var r = 0; r < runs; r++)
    {
        var watch = Stopwatch.StartNew();
        metric.Compute(pairs);
        seconds[r] = watch.Elapsed.TotalSeconds;
    }

    return Median(seconds);
}

void Row(string name, double nltkSeconds, double oursSeconds) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{name,-28}{(double.IsNaN(nltkSeconds) ? "-" : nltkSeconds.ToString("F3", CultureInfo.InvariantCulture)),10}{oursSeconds,12:F3}" +
    $"{(double.IsNaN(nltkSeconds) ? "-" : (nltkSeconds / oursSeconds).ToString("F1", CultureInfo.InvariantCulture) + "x"),9}{pairs.Count / oursSeconds,14:N0}"));

static double Median(double[] values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static string FindSquad()
{
    var env = Environment.GetEnvironmentVariable("ADAPTLAB_SHARED");
    var roots = env is { Length: > 0 } ? [env] : new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory }
        .SelectMany(Ancestors).Select(d => Path.Combine(d, "shared"));
    return roots.Select(r => Path.Combine(r, "datasets", "squad", "dev-v2.0.json")).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("shared/datasets/squad/dev-v2.0.json not found beside the repository; set ADAPTLAB_SHARED");
}

static IEnumerable<string> Ancestors(string path)
{
    for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
    {
        yield return dir.FullName;
    }
}
