using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace AdaptLab.Metrics.Tests.Code;

/// <summary>MBPP-style tests: a list of assert statements with optional setup code.</summary>
[Collection(SandboxCollection.Name)]
public class AssertListTests
{
    private const string Add = "def add(a, b):\n    return a + b\n";

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly IMetric Metric = MetricCatalog.Create("pass_at_1", Options(("test_format", "asserts"), ("timeout_s", "60")));

    [Fact]
    public void Code_passing_every_assert_passes_and_a_failure_names_the_test_and_statement()
    {
        string[] tests = ["assert add(1, 2) == 3", "assert add(2, 2) == 4", "assert add(-1, 1) == 0"];

        var value = Metric.Compute([
            Sample(Add, tests),
            Sample("def add(a, b):\n    return a + b if a != 2 else 5\n", tests),
            Sample("def add(a, b):\n    return a - b\n", tests),
        ]);

        Assert.Equal([1.0, 0.0, 0.0], value.PerItem!);
        Assert.Null(value.Reasons![0]);
        Assert.Equal("AssertionError: test 2 of 3 failed: assert add(2, 2) == 4", value.Reasons[1]);
        Assert.Equal("AssertionError: test 1 of 3 failed: assert add(1, 2) == 3", value.Reasons[2]);
    }

    [Fact]
    public void Setup_code_defines_names_the_tests_use_and_other_errors_keep_their_own_message()
    {
        string[] tests = ["assert scale(2) == 2 * FACTOR", "assert scale(3) == 3 * FACTOR"];
        var withSetup = Sample("def scale(x):\n    return x * FACTOR\n", tests, setup: "FACTOR = 7");
        var withoutSetup = Sample("def scale(x):\n    return x * FACTOR\n", tests);

        var value = Metric.Compute([withSetup, withoutSetup]);

        Assert.Equal([1.0, 0.0], value.PerItem!);
        Assert.Equal("NameError: name 'FACTOR' is not defined", value.Reasons![1]);
    }

    [Fact]
    public void Setup_code_runs_after_the_code_so_it_can_use_the_classes_the_code_defines()
    {
        // MBPP's is_tree_balanced: the setup builds trees of the Node class that the solution defines.
        const string solution = "class Node:\n    def __init__(self, left=None, right=None):\n        self.left, self.right = left, right\n\n"
            + "def depth(node):\n    return 0 if node is None else 1 + max(depth(node.left), depth(node.right))\n";
        string[] tests = ["assert depth(root) == 3", "assert depth(Node()) == 1"];
        const string setup = "root = Node(Node(Node()), Node())";

        var value = Metric.Compute([Sample(solution, tests, setup), Sample(solution, ["assert depth(root) == 2"], setup)]);

        Assert.True(value.PerItem![0] == 1.0, value.Reasons![0]);
        // Positive control: a wrong assert on the same program fails and names the statement.
        Assert.Equal("AssertionError: test 1 of 1 failed: assert depth(root) == 2", value.Reasons[1]);
    }

    [Fact]
    public void Statements_reach_python_exactly_whatever_they_hold()
    {
        // Quotes, backslashes, a newline, a tab, a control character and non-ASCII text must survive the
        // trip into a Python literal unchanged; the code returns its argument, so each assert checks one.
        string[] awkward = ["it's \"quoted\"", @"back\slash \n not a newline", "two\nlines\tand tab", "bell\u0007", "naïve café ✓ 𝄞", "\u2028sep"];
        var tests = awkward.Select(s => $"assert echo({Py(s)}) == {Py(s)}").ToArray();
        var lengths = awkward.Select(s => $"assert len(echo({Py(s)})) == {s.EnumerateRunes().Count()}").ToArray();

        var value = Metric.Compute([Sample("def echo(s):\n    return s\n", [.. tests, .. lengths])]);

        Assert.True(value.PerItem![0] == 1.0, value.Reasons![0]);

        // Positive control: code that drops one character fails on the first statement.
        var broken = Metric.Compute([Sample("def echo(s):\n    return s[1:]\n", tests)]);
        Assert.Equal([0.0], broken.PerItem!);
        Assert.StartsWith("AssertionError: test 1 of 6 failed:", broken.Reasons![0]);
    }

    [Fact]
    public void One_block_of_python_is_one_test_and_its_failing_line_is_named()
    {
        var block = "assert add(1, 2) == 3\nassert add(5, 5) == 11\n";

        var value = Metric.Compute([Sample(Add, block)]);

        Assert.Equal("AssertionError: test 1 of 1 failed: assert add(5, 5) == 11", value.Reasons![0]);
    }

    [Theory]
    [InlineData(null, "field 'tests': test_format 'asserts' reads")]
    [InlineData("[1, 2]", "is a JSON array but not of strings")]
    [InlineData("[]", "holds no test")]
    [InlineData("  ", "holds no test")]
    public void Tests_that_cannot_be_used_are_named(string? tests, string expected)
    {
        var fields = new Dictionary<string, string>();
        if (tests is not null)
        {
            fields["tests"] = tests;
        }

        var problem = ((IReadsItemFields)Metric).Check(fields);
        Assert.Equal("tests", problem?.Field);
        Assert.Contains(expected.Replace("field 'tests': ", string.Empty), problem?.Problem);
        var error = Assert.Throws<ArgumentException>(() => Metric.Compute([new MetricItem(Add, [""]) { Fields = fields }]));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_frozen_verdict_is_read_instead_of_running_the_code()
    {
        var wrong = Sample("def add(a, b):\n    return 0\n", ["assert add(1, 2) == 3"]);
        var frozenPass = wrong with { Frozen = new Dictionary<string, FrozenScore> { ["pass_at_1"] = new(1, null) } };
        var frozenFail = Sample(Add, ["assert add(1, 2) == 3"]) with { Frozen = new Dictionary<string, FrozenScore> { ["pass_at_1"] = new(0, "stored reason") } };

        var value = Metric.Compute([frozenPass, frozenFail, wrong]);

        // Positive control: the same wrong code without a stored verdict runs and fails.
        Assert.Equal([1.0, 0.0, 0.0], value.PerItem!);
        Assert.Equal("stored reason", value.Reasons![1]);
        Assert.StartsWith("AssertionError", value.Reasons[2]);
    }

    // JSON string syntax is Python's for these characters once non-ASCII text, astral characters
    // included (JSON would write them as a surrogate pair), is left unescaped.
    private static string Py(string s) => Regex.Replace(
        JsonSerializer.Serialize(s, Unescaped),
        @"\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})",
        m => string.Concat((char)Convert.ToInt32(m.Groups[1].Value, 16), (char)Convert.ToInt32(m.Groups[2].Value, 16)));

    [Fact]
    public void Intervals_of_pass_at_k_resample_whole_problems()
    {
        // 30 problems of 3 frozen samples each; a resample of single samples would leave problems with fewer than k = 2.
        var metric = MetricCatalog.Create("pass_at_k", Options(("k", "2"), ("test_format", "asserts")));
        var items = Enumerable.Range(0, 90).Select(i => new MetricItem("", [""])
        {
            Fields = new Dictionary<string, string> { ["task_id"] = $"p{i / 3}" },
            Frozen = new Dictionary<string, FrozenScore> { ["pass_at_k"] = new((i / 3) % 3 == 0 || i % 3 == 0 ? 1 : 0, null) },
        }).ToList();

        var estimate = AdaptLab.Metrics.Statistics.MetricStatistics.Estimate(metric, items);
        var shifted = items.Select((item, i) => i < 3 ? item with { Frozen = new Dictionary<string, FrozenScore> { ["pass_at_k"] = new(0, "x") } } : item).ToList();
        var comparison = AdaptLab.Metrics.Statistics.MetricStatistics.Compare(metric, items, shifted);

        Assert.Equal(30, ((IResamplableMetric)metric).Units(items));
        Assert.InRange(estimate.Value, estimate.Lower, estimate.Upper);
        Assert.True(estimate.Upper - estimate.Lower > 0.05, $"{estimate.Lower}..{estimate.Upper}");
        Assert.Contains("30 groups of items", estimate.Method);
        Assert.Equal(1.0 / 30, comparison.Difference, 12);
        Assert.Equal(90, comparison.N);
    }

    private static MetricItem Sample(string code, string[] tests, string? setup = null) => Sample(code, JsonSerializer.Serialize(tests), setup);

    private static MetricItem Sample(string code, string tests, string? setup = null)
    {
        var fields = new Dictionary<string, string> { ["tests"] = tests };
        if (setup is not null)
        {
            fields["setup"] = setup;
        }

        return new MetricItem(code, [""]) { Fields = fields };
    }

    private static MetricOptions Options(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => v.Value));
}
