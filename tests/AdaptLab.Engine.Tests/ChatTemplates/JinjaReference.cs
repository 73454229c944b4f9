using AdaptLab.Tests.Support;

namespace AdaptLab.Engine.Tests.ChatTemplates;

/// <summary>Renders templates with @huggingface/jinja, Hugging Face's renderer, as the expected output.</summary>
internal static class JinjaReference
{
    private const string Script = """
        const { Template } = require('@huggingface/jinja');
        let input = '';
        process.stdin.on('data', d => input += d);
        process.stdin.on('end', () => {
          const results = JSON.parse(input).map(c => {
            try {
              return { text: new Template(c.template).render(c.variables) };
            } catch (e) {
              return { error: String(e.message) };
            }
          });
          process.stdout.write(JSON.stringify(results));
        });
        """;

    /// <summary>Each case's rendered text, or null where the reference threw.</summary>
    public static List<string?> Render(IReadOnlyList<(string Template, IReadOnlyDictionary<string, object?> Variables)> cases)
    {
        var output = NodeReference.Run(Script, cases.Select(c => new { template = c.Template, variables = c.Variables }).ToList(), "@huggingface/jinja");
        return [.. output.EnumerateArray().Select(r => r.TryGetProperty("text", out var text) ? text.GetString() : null)];
    }
}
