using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace AdaptLab.Metrics.Code;

/// <summary>
/// pass@k for code tasks: every sample's program (see <see cref="HumanEvalProgram"/> and
/// <see cref="AssertListProgram"/>) runs in the bubblewrap sandbox, samples are grouped by the <c>task_id</c> field (an item without
/// one is a problem of its own), and the value is the mean over problems of
/// <see cref="PassAtKEstimator.Estimate"/>. Per item: 1 when the sample passed, with the failure as
/// its reason otherwise.
/// </summary>
/// <remarks>
/// Item fields depend on the <see cref="CodeTestFormat"/>, plus optional <c>task_id</c>; the prediction
/// is the completion. Outcomes are cached by program text, so recomputing on resamples of the same
/// items runs nothing again, and an item with a <see cref="MetricItem.Frozen"/> verdict runs nothing.
/// </remarks>
public sealed class PassAtK : IResamplableMetric, IReadsItemFields
{
    private static readonly SandboxOutcome FrozenPass = new(SandboxVerdict.Passed, 0, string.Empty, null);

    private readonly int k;
    private readonly CodeTestFormat format;
    private readonly SandboxRunner runner;
    private readonly SemaphoreSlim slots;
    private readonly ConcurrentDictionary<string, Lazy<Task<SandboxOutcome>>> outcomes = new(StringComparer.Ordinal);

    /// <param name="name">The name reports use.</param>
    /// <param name="k">Samples drawn per problem.</param>
    /// <param name="sandbox">Limits of each run.</param>
    /// <param name="parallelism">Sandboxes running at once; above the core count, wall-time limits start to bite.</param>
    /// <param name="format">Where the dataset keeps the tests.</param>
    public PassAtK(string name, int k, SandboxOptions sandbox, int parallelism, CodeTestFormat format = CodeTestFormat.HumanEval)
    {
        if (k < 1)
        {
            throw new ArgumentException($"pass@k needs k >= 1, got {k}");
        }

        if (parallelism < 1)
        {
            throw new ArgumentException($"parallelism must be at least 1, got {parallelism}");
        }

        Name = name;
        this.k = k;
        this.format = format;
        runner = new SandboxRunner(sandbox);
        slots = new SemaphoreSlim(parallelism);
    }

    public string Name { get; }

    // With one sample per problem pass@1 is the mean of the per-item 0/1 outcomes; for k > 1 the
    // value is not a mean of items, so intervals must recompute it.
    public MetricShape Shape => k == 1 ? MetricShape.MeanOfBinary : MetricShape.Corpus;

    public bool HigherIsBetter => true;

    public IReadOnlyList<string> RequiredFields => format == CodeTestFormat.HumanEval
        ? HumanEvalProgram.RequiredFields
        : [AssertListProgram.TestsField];

    public (string Field, string Problem)? Check(IReadOnlyDictionary<string, string> fields) => format == CodeTestFormat.HumanEval
        ? HumanEvalProgram.Check(fields)
        : AssertListProgram.Check(fields);

    /// <exception cref="ArgumentException">An item lacks a field, or a problem has fewer than k samples.</exception>
    /// <exception cref="InvalidOperationException">The sandbox does not work here (e.g. bubblewrap is not installed).</exception>
    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Func<MetricItem, int, string> build = format == CodeTestFormat.HumanEval ? HumanEvalProgram.Build : AssertListProgram.Build;
        var programs = items.Select((item, i) => item.Frozen.ContainsKey(Name) ? null : build(item, i)).ToArray();
        var problems = Problems(items);
        var tooFew = problems.FirstOrDefault(p => p.Count() < k);
        if (tooFew is not null)
        {
            throw new ArgumentException(
                $"pass@{k} needs at least {k} samples per problem; problem {tooFew.Key} has {tooFew.Count()}");
        }

        // Compute is synchronous by contract; Task.Run keeps a caller's synchronisation context out of the awaits.
        var results = Task.Run(() => Task.WhenAll(programs.Select((program, i) =>
            program is null ? Task.FromResult(Thawed(items[i].Frozen[Name])) : OutcomeOf(program)))).GetAwaiter().GetResult();
        var perItem = results.Select(r => r.Passed ? 1.0 : 0.0).ToArray();
        var reasons = results.Select(r => r.Summary).ToArray();
        var value = problems.Length == 0
            ? double.NaN
            : problems.Average(p => PassAtKEstimator.Estimate(p.Count(), p.Count(i => results[i].Passed), k));
        return new MetricValue(value, perItem, reasons);
    }

    /// <summary>Problems, not samples, are resampled: a resample keeps each problem's n samples together.</summary>
    public int Units(IReadOnlyList<MetricItem> items) => Problems(items).Length;

    /// <summary>pass@k on a resample of problems (indices into <see cref="Units"/>), each problem's samples run once.</summary>
    public Func<int[], double> Resampler(IReadOnlyList<MetricItem> items)
    {
        var passed = Compute(items).PerItem!;
        var estimates = Problems(items).Select(p => PassAtKEstimator.Estimate(p.Count(), p.Count(i => passed[i] == 1), k)).ToArray();
        return indices => indices.Average(i => estimates[i]);
    }

    private static IGrouping<ProblemKey, int>[] Problems(IReadOnlyList<MetricItem> items) =>
        Enumerable.Range(0, items.Count).GroupBy(i => ProblemKey.Of(items[i], i)).ToArray();

    private static SandboxOutcome Thawed(FrozenScore score) => score.Value == 1
        ? FrozenPass
        : new(SandboxVerdict.Failed, null, string.Empty, score.Reason ?? "failed");

    private Task<SandboxOutcome> OutcomeOf(string program) =>
        outcomes.GetOrAdd(Fingerprint(program), _ => new Lazy<Task<SandboxOutcome>>(() => RunInSlotAsync(program))).Value;

    private async Task<SandboxOutcome> RunInSlotAsync(string program)
    {
        await slots.WaitAsync();
        try
        {
            return await runner.RunAsync(program);
        }
        finally
        {
            slots.Release();
        }
    }

    // A hash keeps the cache small when there are many long programs.
    private static string Fingerprint(string program) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(program)));

    private readonly record struct ProblemKey(string? TaskId, int Index)
    {
        public static ProblemKey Of(MetricItem item, int index) =>
            item.Fields.TryGetValue(HumanEvalProgram.TaskIdField, out var id) ? new(id, -1) : new(null, index);

        public override string ToString() => TaskId is null ? $"item {Index}" : $"'{TaskId}'";
    }
}
