using System.Text.Json;
using System.Text.RegularExpressions;

namespace AdaptLab.Metrics.Structured;

/// <summary>Parses a model output as JSON and explains, in a reason line, why it is not.</summary>
internal static partial class JsonOutput
{
    public static bool TryParse(string output, JsonOutputOptions options, out JsonElement value, out string? error)
    {
        var fence = FencedBlock().Match(output);
        var text = options.AllowFence && fence.Success ? fence.Groups["body"].Value : output;
        try
        {
            using var document = JsonDocument.Parse(text);
            value = document.RootElement.Clone();
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            value = default;
            error = $"not JSON: {Describe(e)}";
            if (!options.AllowFence && fence.Success)
            {
                error += " (the output is a ```json fenced block; set allow_fence: true to accept it)";
            }

            return false;
        }
    }

    /// <summary>The parser's message without its trailing location fields, with a 1-based location instead.</summary>
    private static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        message = (cut < 0 ? message : message[..cut]).TrimEnd('.', ' ');
        return e.LineNumber is { } line && e.BytePositionInLine is { } position
            ? $"{message} at line {line + 1}, position {position + 1}"
            : message;
    }

    [GeneratedRegex(@"```[A-Za-z]*[ \t]*\r?\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
