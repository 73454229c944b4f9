using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AdaptLab.Core.Tasks;

/// <summary>
/// Reads YAML into a JSON tree so one JSON Schema can validate it, and remembers the line of every
/// node by its JSON pointer so schema errors can name the line in the user's file.
/// </summary>
internal sealed class YamlJson
{
    private readonly Dictionary<string, int> lines = new(StringComparer.Ordinal);

    private YamlJson(JsonNode? root) => Root = root;

    public JsonNode? Root { get; private set; }

    /// <summary>The 1-based line of the node at <paramref name="pointer"/>, or of its nearest parent.</summary>
    public int LineOf(string pointer)
    {
        for (var p = pointer; ; p = p[..p.LastIndexOf('/')])
        {
            if (lines.TryGetValue(p, out var line))
            {
                return line;
            }

            if (p.Length == 0)
            {
                return 1;
            }
        }
    }

    private static int? LineIndentedWithTab(string text)
    {
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, l => l.Length > l.TrimStart(' ', '\t').Length && l[..(l.Length - l.TrimStart(' ', '\t').Length)].Contains('\t'));
        return index < 0 ? null : index + 1;
    }

    public static YamlJson Parse(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = InnermostMessage(e);
            // YamlDotNet reports a tab in indentation at the scalar before it; the tab's own line is what to fix.
            var tabLine = message.Contains("tab", StringComparison.OrdinalIgnoreCase) ? LineIndentedWithTab(text) : null;
            throw new InputException(file, tabLine ?? (int)e.Start.Line, null, tabLine is null
                ? "not valid YAML: " + message
                : "not valid YAML: a tab in the indentation; YAML indents with spaces only");
        }

        var doc = new YamlJson(null);
        if (stream.Documents.Count == 0)
        {
            throw new InputException(file, 1, null, "the file is empty");
        }

        doc.Root = doc.Convert(stream.Documents[0].RootNode, string.Empty);
        return doc;
    }

    private JsonNode? Convert(YamlNode node, string pointer)
    {
        lines[pointer] = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? string.Empty;
                    var child = pointer + "/" + name.Replace("~", "~0").Replace("/", "~1");
                    obj[name] = Convert(value, child);
                    lines[child] = (int)key.Start.Line;
                }

                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    array.Add(Convert(seq.Children[i], pointer + "/" + i));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new InvalidOperationException("unexpected YAML node " + node.NodeType);
        }
    }

    /// <summary>YAML 1.2 core schema for plain scalars; quoted scalars are always strings.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var v = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(v);
        }

        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        // Numbers go through the JSON parser so a value reads as int, long or double alike.
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonNode.Parse(l.ToString(CultureInfo.InvariantCulture));
        }

        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsInfinity(d))
        {
            return JsonNode.Parse(d.ToString("R", CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(v);
    }

    private static string InnermostMessage(Exception e) => e.InnerException is null ? e.Message : InnermostMessage(e.InnerException);
}
