using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid;

namespace AdaptLab.Core.Prompts;

/// <summary>
/// A versioned prompt file in Liquid syntax: <c>{{ input }}</c>, any mapped field by name, and
/// <c>labels</c> for classification tasks. The content hash is the prompt's version in the run store.
/// Text is inserted exactly as the data holds it, never HTML- or JSON-escaped; array and object fields
/// are Liquid arrays and objects (<c>{% for t in tests %}</c>, <c>{{ tags | join: ", " }}</c>, <c>{{ meta.source }}</c>).
/// </summary>
internal sealed class PromptTemplate
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { StrictVariables = true };

    private readonly IFluidTemplate template;

    private PromptTemplate(string path, string text, IFluidTemplate template)
    {
        Path = path;
        Text = text;
        Hash = Sha256(text);
        this.template = template;
    }

    public string Path { get; }

    public string Text { get; }

    public string Hash { get; }

    public static PromptTemplate Parse(string path, string text)
    {
        if (!Parser.TryParse(text, out var template, out var error))
        {
            throw new InputException(path, null, null, "not a valid Liquid template: " + error);
        }

        return new PromptTemplate(path, text, template);
    }

    /// <param name="fields">The item's fields as text.</param>
    /// <param name="labels">The label set of a classification task.</param>
    /// <param name="structured">The fields whose text is a JSON array or object.</param>
    /// <param name="variables">What context steps add, such as <c>shots</c>: lists and dictionaries of plain values.</param>
    /// <exception cref="InputException">The template uses a variable the item does not have.</exception>
    public string Render(
        IReadOnlyDictionary<string, string> fields, IReadOnlyList<string>? labels, IReadOnlySet<string>? structured = null,
        IReadOnlyDictionary<string, object?>? variables = null)
    {
        var context = new TemplateContext(Options);
        foreach (var (name, value) in fields)
        {
            if (structured?.Contains(name) == true)
            {
                context.SetValue(name, Plain(JsonNode.Parse(value)));
            }
            else
            {
                context.SetValue(name, value);
            }
        }

        if (labels is not null)
        {
            context.SetValue("labels", labels);
        }

        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            context.SetValue(name, value);
        }

        try
        {
            return template.Render(context, NullEncoder.Default);
        }
        catch (FluidException e)
        {
            var known = string.Join(", ", fields.Keys.Concat(labels is null ? [] : ["labels"]).Concat(variables?.Keys ?? []));
            throw new InputException(Path, null, null, $"{e.Message} (variables available: {known})");
        }
    }

    /// <summary>JSON as the lists, dictionaries and scalars Fluid turns into Liquid values.</summary>
    internal static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonArray a => a.Select(Plain).ToList(),
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => Plain(kv.Value), StringComparer.Ordinal),
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => node.AsValue().TryGetValue<decimal>(out var d) ? d : node.GetValue<double>(),
        },
    };

    internal static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
