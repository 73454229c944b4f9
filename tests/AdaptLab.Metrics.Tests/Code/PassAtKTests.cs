using AdaptLab.Metrics.Code;

namespace AdaptLab.Metrics.Tests.Code;

[Collection(SandboxCollection.Name)]
public class PassAtKTests
{
    private const string WrongCompletion = "    return False\n";

    // Passing programs never wait for the limit; a busy machine can make slow ones slower.
    private static readonly MetricOptions Patient = Options(("timeout_s", "60"));

    private static HumanEvalData.Problem HasCloseElements => HumanEvalData.Problems[0];

    private static HumanEvalData.Problem SeparateParenGroups => HumanEvalData.Problems[1];

    [Fact]
    public void Every_canonical_humaneval_solution_passes_in_the_sandbox()
    {
        var metric = MetricCatalog.Create("pass_at_1", Options(("parallelism", "2"), ("timeout_s", "60")));
        var problems = HumanEvalData.Problems;

        var value = metric.Compute([.. problems.Select(p => p.Sample(p.CanonicalSolution))]);

        Assert.Equal(164, problems.Count);
        var failures = problems.Select((p, i) => (p.TaskId, Reason: value.Reasons![i])).Where(f => f.Reason is not null);
        Assert.Empty(failures);
        Assert.Equal(1.0, value.Value);
        Assert.All(value.PerItem!, s => Assert.Equal(1.0, s));
    }

    [Fact]
    public void A_wrong_solution_fails_with_the_assertion()
    {
        var metric = MetricCatalog.Create("pass_at_1", Patient);

        var value = metric.Compute([HasCloseElements.Sample(WrongCompletion), SeparateParenGroups.Sample(SeparateParenGroups.CanonicalSolution)]);

        Assert.Equal([0.0, 1.0], value.PerItem!);
        Assert.Equal("AssertionError", value.Reasons![0]);
        Assert.Null(value.Reasons[1]);
        Assert.Equal(0.5, value.Value);
        Assert.Equal(MetricShape.MeanOfBinary, metric.Shape);
    }

    [Fact]
    public void Samples_of_one_task_id_are_grouped_into_one_problem()
    {
        var metric = MetricCatalog.Create("pass_at_k", Options(("k", "2"), ("timeout_s", "60")));

        var value = metric.Compute([
            HasCloseElements.Sample(HasCloseElements.CanonicalSolution),
            HasCloseElements.Sample(WrongCompletion),
            HasCloseElements.Sample("    raise NotImplementedError\n"),
            SeparateParenGroups.Sample(WrongCompletion),
            SeparateParenGroups.Sample(WrongCompletion + "\n"),
        ]);

        // Problem 0: n=3, c=1 -> 1 - C(2,2)/C(3,2) = 2/3. Problem 1: n=2, c=0 -> 0.
        Assert.Equal((2.0 / 3 + 0.0) / 2, value.Value, 1e-15);
        Assert.Equal([1.0, 0.0, 0.0, 0.0, 0.0], value.PerItem!);
        Assert.Equal("NotImplementedError", value.Reasons![2]);
        Assert.Equal(MetricShape.Corpus, metric.Shape);
    }

    [Fact]
    public void Hostile_completions_are_contained_and_reported_per_item()
    {
        // The fork bomb spins until the limit; the others end sooner even on a loaded machine.
        var metric = MetricCatalog.Create("pass_at_1", Options(("timeout_s", "3"), ("memory_mb", "256")));

        var value = metric.Compute([
            HasCloseElements.Sample("    x = bytearray(10 * 1024 ** 3)\n"),
            HasCloseElements.Sample("    import os\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n"),
            HasCloseElements.Sample("    while True:\n        print('spam' * 1000)\n"),
            HasCloseElements.Sample("    import socket\n    socket.create_connection(('1.1.1.1', 443), timeout=1)\n"),
        ]);

        Assert.Equal([0.0, 0.0, 0.0, 0.0], value.PerItem!);
        Assert.StartsWith("memory limit 256 MB exceeded", value.Reasons![0]);
        Assert.Equal("timed out after 3 s", value.Reasons[1]);
        Assert.Equal("output exceeded the 1 MB cap", value.Reasons[2]);
        Assert.Equal("OSError: [Errno 101] Network is unreachable", value.Reasons[3]);
    }

    [Fact]
    public void Recomputing_reuses_the_outcomes_instead_of_running_again()
    {
        var metric = MetricCatalog.Create("pass_at_1", Patient);
        // Each program passes or fails by a coin flip, so fresh runs would disagree with chance 1 - 2^-20.
        var coinFlips = Enumerable.Range(0, 20)
            .Select(i => HasCloseElements.Sample($"    import os, sys\n    sys.exit(os.urandom(1)[0] % 2)  # {i}\n"))
            .ToArray();

        var first = metric.Compute(coinFlips);
        var again = metric.Compute([.. coinFlips.Reverse()]);

        Assert.Equal(first.PerItem!.Reverse(), again.PerItem!);
    }

    [Fact]
    public void A_problem_with_fewer_than_k_samples_is_named()
    {
        var metric = MetricCatalog.Create("pass_at_k", Options(("k", "2")));

        var error = Assert.Throws<ArgumentException>(() => metric.Compute([
            HasCloseElements.Sample(WrongCompletion), HasCloseElements.Sample(WrongCompletion), SeparateParenGroups.Sample(WrongCompletion)]));
        Assert.Contains("'HumanEval/1' has 1", error.Message);
    }

    [Fact]
    public void A_missing_field_is_named()
    {
        var item = HasCloseElements.Sample(WrongCompletion);
        var withoutTest = item with { Fields = item.Fields.Where(f => f.Key != "test").ToDictionary() };

        var error = Assert.Throws<ArgumentException>(() => MetricCatalog.Create("pass_at_1").Compute([withoutTest]));
        Assert.Contains("field 'test': test_format 'humaneval' reads", error.Message);
    }

    [Theory]
    [InlineData("pass_at_k", "timeout_s", "5", "needs option 'k'")]
    [InlineData("pass_at_k", "k", "0", "k >= 1")]
    [InlineData("pass_at_k", "k", "ten", "'k' must be an integer")]
    [InlineData("pass_at_1", "timeout_s", "-1", "'timeout_s' must be positive")]
    [InlineData("pass_at_1", "memory_mb", "0", "'memory_mb' must be positive")]
    [InlineData("pass_at_1", "parallelism", "0", "parallelism must be at least 1")]
    [InlineData("pass_at_1", "python", "python3", "PythonPath must be an absolute path")]
    public void Invalid_options_are_rejected(string name, string key, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => MetricCatalog.Create(name, Options((key, value))));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Without_bubblewrap_the_metric_refuses_to_run_code()
    {
        var metric = new PassAtK("pass_at_1", 1, new SandboxOptions { BubblewrapPath = "/nonexistent/bwrap" }, parallelism: 1);

        var error = Assert.Throws<InvalidOperationException>(() => metric.Compute([HasCloseElements.Sample(HasCloseElements.CanonicalSolution)]));
        Assert.Contains("apt-get install bubblewrap", error.Message);
    }

    private static MetricOptions Options(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => v.Value));
}
