using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Metrics.Code;

/// <summary>
/// Assembles the program for MBPP-style tests in MBPP's own order: the completion, the optional setup code, then
/// each <c>assert</c> statement run in turn, so a failure names which test failed and the statement itself.
/// </summary>
/// <remarks>
/// The tests field is a JSON array of statements (what a list column of a JSONL or Parquet dataset
/// gives) or one block of Python run as a single test. Statements travel as Python string literals and
/// run through <c>exec</c>, so a statement that does not parse fails as that test, not as the program.
/// </remarks>
public static class AssertListProgram
{
    public const string TestsField = "tests";

    /// <summary>
    /// Optional code run after the completion and before the tests (MBPP's <c>test_setup_code</c>, which builds
    /// objects of classes the solution defines, so it cannot run first).
    /// </summary>
    public const string SetupField = "setup";

    // Names start with "_adaptlab_" so they cannot collide with the code under test.
    private const string Runner = """

        import sys as _adaptlab_sys, traceback as _adaptlab_tb
        for _adaptlab_i, _adaptlab_src in enumerate(_adaptlab_tests, 1):
            _adaptlab_name = "<test %d>" % _adaptlab_i
            try:
                exec(compile(_adaptlab_src, _adaptlab_name, "exec"), globals())
            except AssertionError:
                _adaptlab_line = next((f.lineno for f in reversed(_adaptlab_tb.extract_tb(_adaptlab_sys.exc_info()[2]))
                                       if f.filename == _adaptlab_name), 1)
                _adaptlab_lines = _adaptlab_src.splitlines() or [""]
                _adaptlab_sys.exit("AssertionError: test %d of %d failed: %s" % (
                    _adaptlab_i, len(_adaptlab_tests), _adaptlab_lines[min(_adaptlab_line, len(_adaptlab_lines)) - 1].strip()))

        """;

    /// <exception cref="ArgumentException">The tests field is missing or holds no test.</exception>
    internal static string Build(MetricItem item, int index)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (Check(item.Fields) is { } problem)
        {
            throw new ArgumentException($"item {index}: field '{problem.Field}': {problem.Problem}");
        }

        var tests = Tests(item.Fields[TestsField])!;
        var program = new StringBuilder(item.Prediction).Append('\n');
        if (item.Fields.TryGetValue(SetupField, out var setup) && setup.Length > 0)
        {
            program.Append(setup).Append('\n');
        }

        program.Append("_adaptlab_tests = [").AppendJoin(", ", tests.Select(PythonLiteral)).Append(']');
        return program.Append(Runner).ToString();
    }

    internal static (string Field, string Problem)? Check(IReadOnlyDictionary<string, string> fields)
    {
        if (!fields.TryGetValue(TestsField, out var text))
        {
            return (TestsField, $"test_format 'asserts' reads the assert statements from field '{TestsField}' (and optional setup code from '{SetupField}'); map it in data.fields.extra");
        }

        return Tests(text) switch
        {
            null => (TestsField, "is a JSON array but not of strings; give each assert statement as a string"),
            { Count: 0 } => (TestsField, "holds no test; an item without tests would pass whatever the code does"),
            _ => null,
        };
    }

    /// <summary>The statements, or null when the text is a JSON array of something other than strings.</summary>
    private static List<string>? Tests(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('['))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(trimmed);
            }
            catch (JsonException)
            {
                // Not JSON: a block of Python that happens to start with a list, run as one test.
                node = null;
            }

            if (node is JsonArray array)
            {
                return array.All(t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    ? array.Select(t => t!.GetValue<string>()).Where(t => t.Trim().Length > 0).ToList()
                    : null;
            }
        }

        return text.Trim().Length == 0 ? [] : [text];
    }

    /// <summary>A Python 3 string literal holding exactly <paramref name="s"/>.</summary>
    internal static string PythonLiteral(string s)
    {
        var literal = new StringBuilder("\"");
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '\\': literal.Append(@"\\"); break;
                case '"': literal.Append("\\\""); break;
                case '\n': literal.Append(@"\n"); break;
                case '\r': literal.Append(@"\r"); break;
                case '\t': literal.Append(@"\t"); break;
                case < 0x20 or 0x7f or 0x2028 or 0x2029 or 0x85:
                    literal.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
                    break;
                default: literal.Append(rune.ToString()); break;
            }
        }

        return literal.Append('"').ToString();
    }
}
