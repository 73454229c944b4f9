using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;
using Fluid.Values;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Core.Reports;

/// <summary>
/// The one Liquid setup the HTML and Markdown reports render with: the templates embedded from Reports/Templates, each
/// parsed once, read the view model they are given (plain records, their members in snake_case) and format numbers only
/// through the filters here, each a call to <see cref="Format"/>.
/// </summary>
/// <remarks>
/// A <c>.html</c> template renders through an HTML encoder: everything it writes with <c>{{ }}</c> is data (task names,
/// item text, model output) and is encoded, so none of it can become markup. <c>script_json</c> is the one filter whose
/// output is written as it is: it makes its JSON safe inside a script element itself. Markdown templates write text as it
/// is, as the Markdown reports always have. Data is only ever a value: no text of a task, item or model is parsed as a
/// template, so Liquid in it stays text.
/// </remarks>
internal static class ReportTemplates
{
    private const string Extension = ".liquid";

    private static readonly FluidParser Parser = new();

    // The pages are UTF-8, so only what is markup needs an entity; the default encoder would also write every dash and
    // arrow of the data as one.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly TemplateOptions Options = CreateOptions();

    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new(StringComparer.Ordinal);

    /// <param name="name">The template's file name without ".liquid": "study.html", "run.md".</param>
    public static string Render(string name, object model) =>
        Parsed.GetOrAdd(name, n => Parse(n, Read(n + Extension)))
            .Render(new TemplateContext(model, Options), name.EndsWith(".html", StringComparison.Ordinal) ? Html : NullEncoder.Default);

    private static IFluidTemplate Parse(string name, string text) =>
        Parser.TryParse(text, out var template, out var error) ? template : throw new InvalidOperationException($"report template {name}: {error}");

    private static string Read(string file)
    {
        using var stream = typeof(ReportTemplates).Assembly.GetManifestResourceStream("Templates/" + file)
            ?? throw new InvalidOperationException($"the report template {file} is not embedded");
        return new StreamReader(stream).ReadToEnd();
    }

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions
        {
            // The templates are this assembly's own, never a user's: they may read any public member of the view model
            // they are given.
            MemberAccessStrategy = new UnsafeMemberAccessStrategy { MemberNameStrategy = MemberNameStrategies.SnakeCase },
            FileProvider = new Partials(),

            // A tag on a line of its own, written {% ... -%}, takes that line with it and nothing more, so a template is
            // laid out as the text it writes, blank lines included.
            Greedy = false,
            StrictFilters = true,
        };
        options.ValueConverters.Add(value => value is double d ? new DoubleValue(d) : null);
        Add(options, "value", (v, _) => Format.Value(Number(v)));
        Add(options, "points", (v, _) => Format.Points(Number(v)));
        Add(options, "points_interval", (v, a) => Format.PointsInterval(Number(v), Number(a.At(0))));
        Add(options, "signed_points", (v, _) => Format.SignedPoints(Number(v)));
        Add(options, "study_points", (v, _) => Format.StudyPoints(Number(v)));
        Add(options, "study_interval", (v, a) => Format.StudyInterval(Number(v), Number(a.At(0))));
        Add(options, "ms", (v, _) => Format.Ms(Number(v)));
        Add(options, "percent", (v, _) => Format.Percent(Required(v)));
        Add(options, "whole_percent", (v, _) => Format.WholePercent(Required(v)));
        Add(options, "p_value", (v, _) => Format.PValue(Required(v)));
        Add(options, "money", (v, _) => Format.Money(Number(v)));
        Add(options, "number", (v, a) => Format.Number(Number(v), a.At(0).ToStringValue()));

        // A value in a Markdown table cell: a line break or a "|" would end the cell, and a long text widen the table.
        Add(options, "cell", (v, _) =>
        {
            var text = v.ToStringValue().Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
            return text.Length <= 120 ? text : text[..117] + "...";
        });
        Add(options, "escape_pipes", (v, _) => v.ToStringValue().Replace("|", "\\|", StringComparison.Ordinal));

        // JSON in <script type="application/json">: entities mean nothing there, so it is written as it is, with "<"
        // escaped so that no string in it can close the element.
        options.Filters.AddFilter("script_json", (input, _, _) =>
            new ValueTask<FluidValue>(new StringValue(input.ToStringValue().Replace("<", "\\u003c", StringComparison.Ordinal), encode: false)));
        return options;
    }

    private static void Add(TemplateOptions options, string name, Func<FluidValue, FilterArguments, string> format) =>
        options.Filters.AddFilter(name, (input, arguments, _) => new ValueTask<FluidValue>(new StringValue(format(input, arguments))));

    private static double? Number(FluidValue value) => value switch
    {
        DoubleValue d => d.Value,
        _ when value.IsNil() => null,
        _ => (double)value.ToNumberValue(),
    };

    private static double Required(FluidValue value) => Number(value) ?? throw new InvalidOperationException("a report template formats a number it does not have");

    /// <summary>
    /// A double as the report computed it. Fluid would make it a decimal, which cannot hold NaN and rounds some values
    /// otherwise ("N0" of 12.5 is 13, of the double 12); the filters format the double itself.
    /// </summary>
    private sealed class DoubleValue(double value) : FluidValue
    {
        public double Value => value;

        public override FluidValues Type => FluidValues.Number;

        public override bool Equals(FluidValue other) =>
            other is DoubleValue d ? value.Equals(d.Value) : other.Type == FluidValues.Number && ToNumberValue() == other.ToNumberValue();

        public override int GetHashCode() => value.GetHashCode();

        public override bool ToBooleanValue() => true;

        public override decimal ToNumberValue() => decimal.CreateSaturating(value);

        public override string ToStringValue() => value.ToString(CultureInfo.InvariantCulture);

        public override object ToObjectValue() => value;
    }

    /// <summary>The partials <c>{% render %}</c> names, embedded beside the templates.</summary>
    private sealed class Partials : IFileProvider
    {
        public IFileInfo GetFileInfo(string subpath) =>
            typeof(ReportTemplates).Assembly.GetManifestResourceInfo("Templates/" + subpath) is null ? new NotFoundFileInfo(subpath) : new Partial(subpath);

        public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

        public IChangeToken Watch(string filter) => NullChangeToken.Singleton;
    }

    private sealed class Partial(string file) : IFileInfo
    {
        // A partial fills part of a line or of a page, so its file's final newline is not part of its text.
        private readonly byte[] text = Encoding.UTF8.GetBytes(Read(file).TrimEnd('\n'));

        public bool Exists => true;

        public long Length => text.Length;

        public string? PhysicalPath => null;

        public string Name => file;

        // Embedded, so never changed: Fluid's template cache keeps the partial as first parsed.
        public DateTimeOffset LastModified => DateTimeOffset.MinValue;

        public bool IsDirectory => false;

        public Stream CreateReadStream() => new MemoryStream(text, writable: false);
    }
}
