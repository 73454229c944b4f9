using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>
/// A parsed Jinja template, rendered as Hugging Face's @huggingface/jinja renders chat templates: the subset of
/// Jinja chat templates use (if/elif/else, for with loop.*, set, namespace, macros, filters, tests, slices),
/// with its globals (raise_exception, namespace, range, strftime_now, true/false/none in both spellings).
/// </summary>
internal sealed class JinjaTemplate
{
    private readonly TemplateBody body;

    private JinjaTemplate(TemplateBody body) => this.body = body;

    /// <exception cref="FormatException">The template is not valid Jinja, or uses an unsupported statement.</exception>
    public static JinjaTemplate Parse(string source) => new(JinjaParser.Parse(source));

    /// <summary>
    /// Renders with the given variables (strings, booleans, numbers, null, dictionaries and sequences of them).
    /// </summary>
    /// <exception cref="ArgumentException">The template called raise_exception (it rejects the input).</exception>
    /// <exception cref="FormatException">The template failed while rendering (a type error, an unsupported filter).</exception>
    public string Render(IReadOnlyDictionary<string, object?> variables)
    {
        var globals = new JinjaEnvironment(null);
        DeclareGlobals(globals);
        foreach (var (name, value) in variables)
        {
            globals.Set(name, FromClr(value));
        }

        return JinjaInterpreter.Render(body, globals);
    }

    private static void DeclareGlobals(JinjaEnvironment globals)
    {
        globals.Set("true", BoolValue.True);
        globals.Set("True", BoolValue.True);
        globals.Set("false", BoolValue.False);
        globals.Set("False", BoolValue.False);
        globals.Set("none", NullValue.Instance);
        globals.Set("None", NullValue.Instance);
        globals.Set("raise_exception", new FunctionValue((args, _) =>
            throw new ArgumentException($"The chat template rejected the messages: {(args.Count > 0 ? args[0].ToString() : "")}")));
        globals.Set("range", new FunctionValue((args, _) => Range(args)));
        globals.Set("namespace", new FunctionValue((args, _) => Namespace(args)));
        globals.Set("strftime_now", new FunctionValue((args, _) =>
            new StringValue(StrftimeNow(args.FirstOrDefault() as StringValue ?? throw new FormatException("Chat template: strftime_now needs a format string.")))));
    }

    private static ArrayValue Range(List<JinjaValue> args)
    {
        var numbers = args.Select(a => a is IntegerValue i ? i.Value : throw new FormatException("Chat template: range takes integers.")).ToList();
        var (start, stop, step) = numbers.Count switch
        {
            1 => (0L, numbers[0], 1L),
            2 => (numbers[0], numbers[1], 1L),
            3 => (numbers[0], numbers[1], numbers[2]),
            _ => throw new FormatException("Chat template: range takes 1 to 3 integers."),
        };
        if (step == 0)
        {
            throw new FormatException("Chat template: range's step must not be zero.");
        }

        var items = new List<JinjaValue>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            items.Add(new IntegerValue(i));
        }

        return new ArrayValue(items);
    }

    private static NamespaceValue Namespace(List<JinjaValue> args)
    {
        var entries = new Dictionary<string, JinjaValue>();
        foreach (var arg in args)
        {
            switch (arg)
            {
                case ObjectValue o:
                    foreach (var (key, value) in o.Entries)
                    {
                        entries[key] = value;
                    }

                    break;
                case ArrayValue pairs:
                    foreach (var pair in pairs.Items)
                    {
                        if (pair is not ArrayValue { Items: [StringValue key, var value] })
                        {
                            throw new FormatException("Chat template: namespace takes a mapping or [key, value] pairs.");
                        }

                        entries[key.Value] = value;
                    }

                    break;
                default:
                    throw new FormatException($"Chat template: namespace cannot take a {arg.TypeName}.");
            }
        }

        return new NamespaceValue(entries);
    }

    private static string StrftimeNow(StringValue format)
    {
        var now = DateTime.Now;
        var english = CultureInfo.GetCultureInfo("en-US");
        return System.Text.RegularExpressions.Regex.Replace(format.Value, "%[YmdbBHM%]", m => m.Value[1] switch
        {
            'Y' => now.Year.ToString(CultureInfo.InvariantCulture),
            'm' => now.Month.ToString("00", CultureInfo.InvariantCulture),
            'd' => now.Day.ToString("00", CultureInfo.InvariantCulture),
            'b' => now.ToString("MMM", english),
            'B' => now.ToString("MMMM", english),
            'H' => now.Hour.ToString("00", CultureInfo.InvariantCulture),
            'M' => now.Minute.ToString("00", CultureInfo.InvariantCulture),
            _ => "%",
        });
    }

    /// <summary>A JSON value as JavaScript's JSON.parse gives it to the reference (an integral number is an integer).</summary>
    private static JinjaValue FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => new ObjectValue(e.EnumerateObject().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => FromJson(g.Last().Value))),
        JsonValueKind.Array => new ArrayValue([.. e.EnumerateArray().Select(FromJson)]),
        JsonValueKind.String => new StringValue(e.GetString()!),
        JsonValueKind.Number => e.TryGetInt64(out var integer) ? new IntegerValue(integer) : FromClr(e.GetDouble()),
        JsonValueKind.True => BoolValue.True,
        JsonValueKind.False => BoolValue.False,
        _ => NullValue.Instance,
    };

    private static JinjaValue FromClr(object? value) => value switch
    {
        null => NullValue.Instance,
        JinjaValue j => j,
        string s => new StringValue(s),
        bool b => BoolValue.Of(b),
        JsonElement e => FromJson(e),
        int or long or short or byte => new IntegerValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        double or float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture) is var d && d == Math.Floor(d) && Math.Abs(d) < 9e15
            ? new IntegerValue((long)d) // a JavaScript number that is an integer becomes an IntegerValue there too
            : new FloatValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        IDictionary dictionary => new ObjectValue(dictionary.Keys.Cast<object>().ToDictionary(
            k => k as string ?? throw new ArgumentException("Chat template variables: dictionary keys must be strings."), k => FromClr(dictionary[k]))),
        IEnumerable<KeyValuePair<string, object?>> pairs => new ObjectValue(pairs.ToDictionary(p => p.Key, p => FromClr(p.Value))),
        IEnumerable items => new ArrayValue([.. items.Cast<object?>().Select(FromClr)]),
        _ => throw new ArgumentException($"Chat template variables cannot hold a {value.GetType().Name}."),
    };
}
