using System.Text.Json;
using AdaptLab.Metrics.Text;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Text;

/// <summary>
/// The hand-written tokenizers against the regular expressions they replace, run by Python's
/// re / regex modules (Debian python3, python3-regex) on real sentences and on edge cases.
/// </summary>
public class TokenizerReferenceTests
{
    // sacrebleu 2.6.0's tokenizer_13a/_re/_intl/_zh/_char and tokenizer_ter (normalized), restated.
    private const string Reference = """
        import json, re, sys
        import regex
        def post(line):
            line = re.sub(r'([\{-\~\[-\` -\&\(-\+\:-\@\/])', r' \1 ', line)
            line = re.sub(r'([^0-9])([\.,])', r'\1 \2 ', line)
            line = re.sub(r'([\.,])([^0-9])', r' \1 \2', line)
            line = re.sub(r'([0-9])(-)', r'\1 \2 ', line)
            return line.split()
        def t13a(line):
            for a, b in (('<skipped>', ''), ('-\n', ''), ('\n', ' '), ('&quot;', '"'), ('&amp;', '&'), ('&lt;', '<'), ('&gt;', '>')):
                line = line.replace(a, b)
            return post(' ' + line + ' ')
        def intl(line):
            line = regex.sub(r'(\P{N})(\p{P})', r'\1 \2 ', line)
            line = regex.sub(r'(\p{P})(\P{N})', r' \1 \2', line)
            line = regex.sub(r'(\p{S})', r' \1 ', line)
            return line.split()
        RANGES = [('\u3400', '\u4db5'), ('\u4e00', '\u9fa5'), ('\u9fa6', '\u9fbb'), ('\uf900', '\ufa2d'),
                  ('\ufa30', '\ufa6a'), ('\ufa70', '\ufad9'), ('\u20000', '\u2a6d6'), ('\u2f800', '\u2fa1d'),
                  ('\uff00', '\uffef'), ('\u2e80', '\u2eff'), ('\u3000', '\u303f'), ('\u31c0', '\u31ef'),
                  ('\u2f00', '\u2fdf'), ('\u2ff0', '\u2fff'), ('\u3100', '\u312f'), ('\u31a0', '\u31bf'),
                  ('\ufe10', '\ufe1f'), ('\ufe30', '\ufe4f'), ('\u2600', '\u26ff'), ('\u2700', '\u27bf'),
                  ('\u3200', '\u32ff'), ('\u3300', '\u33ff')]
        def zh(line):
            out = ''
            for c in line.strip():
                out += ' ' + c + ' ' if any(a <= c <= b for a, b in RANGES) else c
            return post(out)
        def char(line):
            return ' '.join(c for c in line).split()
        def ter(sent):
            sent = sent.lower()
            for a, b in ((r'\n-', ''), (r'\n', ' '), (r'&quot;', '"'), (r'&amp;', '&'), (r'&lt;', '<'), (r'&gt;', '>')):
                sent = re.sub(a, b, sent)
            sent = f' {sent} '
            sent = re.sub(r'([{-~[-` -&(-+:-@/])', r' \1 ', sent)
            sent = re.sub(r"'s ", r" 's ", sent)
            sent = re.sub(r"'s$", r" 's", sent)
            sent = re.sub(r'([^0-9])([\.,])', r'\1 \2 ', sent)
            sent = re.sub(r'([\.,])([^0-9])', r' \1 \2', sent)
            sent = re.sub(r'([0-9])(-)', r'\1 \2 ', sent)
            return sent.split()
        lines = json.load(sys.stdin)
        print(json.dumps({name: [f(l.rstrip()) if name != 'ter' else f(l) for l in lines]
                          for name, f in (('13a', t13a), ('intl', intl), ('zh', zh), ('char', char), ('ter', ter))}))
        """;

    private static readonly string[] EdgeCases =
    [
        "a.,b", "1.5 and 1,000.", "3-4 x--y 5--6", "end.", "U.S.A. is big.", ".,.,", "&amp;lt; &quot;q&quot; <skipped> x",
        "line one-\nline two\nthree", "(hi) [x] {y} it's John's", "Prix: 12€ — “quoted” ‹x› 5.5%", "a...b...", "-1.-2,-",
        "中文句子，包括标点。English too 123.", "日本語のテキスト、カタカナ。", "emoji 😀. ok", "×÷ ± ≤ 2001 \u2018x\u2019 …",
        "tab\tseparated\u001fwords\u00a0nbsp", "", "   ", "Ünïcödé wörds, ñ.",
    ];

    [Fact]
    public void Tokenizers_match_the_reference_regular_expressions()
    {
        var lines = EdgeCases.Concat(SquadSentences(1500)).ToList();
        var expected = PythonReference.Run(Reference, lines);

        foreach (var (name, kind) in new[] { ("13a", BleuTokenizer.Mteval13a), ("intl", BleuTokenizer.International), ("zh", BleuTokenizer.Chinese), ("char", BleuTokenizer.Character) })
        {
            var runner = new BleuTokenizerRunner(kind);
            var reference = expected.GetProperty(name);
            for (var i = 0; i < lines.Count; i++)
            {
                var actual = PythonText.SplitWhitespace(new string(runner.Tokenize(PythonText.TrimEnd(lines[i]))));
                Assert.True(Strings(reference[i]).SequenceEqual(actual), $"{name} differs on \"{lines[i]}\": [{string.Join(" | ", actual)}]");
            }
        }

        var ter = new TercomTokenizer(new TerOptions(Normalized: true));
        for (var i = 0; i < lines.Count; i++)
        {
            var actual = PythonText.SplitWhitespace(ter.Apply(lines[i]));
            Assert.True(Strings(expected.GetProperty("ter")[i]).SequenceEqual(actual), $"ter differs on \"{lines[i]}\": [{string.Join(" | ", actual)}]");
        }
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static IEnumerable<string> SquadSentences(int count)
    {
        using var squad = JsonDocument.Parse(File.ReadAllText(SharedData.Path("datasets", "squad", "dev-v2.0.json")));
        return squad.RootElement.GetProperty("data").EnumerateArray()
            .SelectMany(a => a.GetProperty("paragraphs").EnumerateArray())
            .SelectMany(p => p.GetProperty("context").GetString()!.Split(". "))
            .Take(count)
            .ToList();
    }
}
