using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>
/// Splits a template into tokens the way Hugging Face's renderer (@huggingface/jinja) does, with
/// lstrip_blocks and trim_blocks on, as transformers renders chat templates.
/// </summary>
internal static partial class JinjaLexer
{
    private static readonly (string Text, JinjaTokenType Type)[] Symbols =
    [
        ("{%", JinjaTokenType.OpenStatement),
        ("%}", JinjaTokenType.CloseStatement),
        ("{{", JinjaTokenType.OpenExpression),
        ("}}", JinjaTokenType.CloseExpression),
        ("(", JinjaTokenType.OpenParen),
        (")", JinjaTokenType.CloseParen),
        ("{", JinjaTokenType.OpenCurlyBracket),
        ("}", JinjaTokenType.CloseCurlyBracket),
        ("[", JinjaTokenType.OpenSquareBracket),
        ("]", JinjaTokenType.CloseSquareBracket),
        (",", JinjaTokenType.Comma),
        (".", JinjaTokenType.Dot),
        (":", JinjaTokenType.Colon),
        ("|", JinjaTokenType.Pipe),
        ("<=", JinjaTokenType.ComparisonOperator),
        (">=", JinjaTokenType.ComparisonOperator),
        ("==", JinjaTokenType.ComparisonOperator),
        ("!=", JinjaTokenType.ComparisonOperator),
        ("<", JinjaTokenType.ComparisonOperator),
        (">", JinjaTokenType.ComparisonOperator),
        ("+", JinjaTokenType.AdditiveOperator),
        ("-", JinjaTokenType.AdditiveOperator),
        ("~", JinjaTokenType.AdditiveOperator),
        ("**", JinjaTokenType.ExponentiationOperator),
        ("*", JinjaTokenType.MultiplicativeOperator),
        ("//", JinjaTokenType.MultiplicativeOperator),
        ("/", JinjaTokenType.MultiplicativeOperator),
        ("%", JinjaTokenType.MultiplicativeOperator),
        ("=", JinjaTokenType.Equals),
    ];

    public static List<JinjaToken> Tokenize(string template) => new Scanner(Preprocess(template)).Run();

    private static string Preprocess(string template)
    {
        if (template.EndsWith('\n'))
        {
            template = template[..^1];
        }

        template = LeadingBlankBeforeBlock().Replace(template, "$1");
        template = NewlineAfterBlock().Replace(template, "$1");
        // {% generation %} marks assistant text for training masks; rendering drops the tags.
        return GenerationTag().Replace(template, m =>
            (m.Groups[2].Value.Length > 0 ? "" : m.Groups[1].Value) + (m.Groups[3].Value.Length > 0 ? "" : m.Groups[4].Value));
    }

    [GeneratedRegex(@"^[ \t]*(\{[#%-])", RegexOptions.Multiline)]
    private static partial Regex LeadingBlankBeforeBlock();

    [GeneratedRegex(@"([#%-]\})\n")]
    private static partial Regex NewlineAfterBlock();

    [GeneratedRegex(@"(\s*)\{%(-?)\s*(?:end)?generation\s*(-?)%\}(\s*)", RegexOptions.Singleline)]
    private static partial Regex GenerationTag();

    private sealed class Scanner(string src)
    {
        private readonly List<JinjaToken> tokens = [];
        private int position;
        private int curlyDepth;

        private char At(int i) => i < src.Length ? src[i] : '\0';

        private JinjaTokenType? LastType => tokens.Count == 0 ? null : tokens[^1].Type;

        public List<JinjaToken> Run()
        {
            while (position < src.Length)
            {
                if (LastType is null or JinjaTokenType.CloseStatement or JinjaTokenType.CloseExpression or JinjaTokenType.Comment)
                {
                    var start = position;
                    while (position < src.Length && !(src[position] == '{' && At(position + 1) is '%' or '{' or '#'))
                    {
                        position++;
                    }

                    if (position > start)
                    {
                        tokens.Add(new JinjaToken(src[start..position], JinjaTokenType.Text));
                        continue;
                    }
                }

                if (src[position] == '{' && At(position + 1) == '#')
                {
                    ReadComment();
                    continue;
                }

                if (StartsWith("{%-"))
                {
                    StripTrailingWhitespace();
                    tokens.Add(new JinjaToken("{%", JinjaTokenType.OpenStatement));
                    position += 3;
                    continue;
                }

                if (StartsWith("{{-"))
                {
                    StripTrailingWhitespace();
                    tokens.Add(new JinjaToken("{{", JinjaTokenType.OpenExpression));
                    curlyDepth = 0;
                    position += 3;
                    continue;
                }

                ConsumeWhile(JsText.IsWhiteSpace);
                if (StartsWith("-%}") || StartsWith("-}}"))
                {
                    tokens.Add(StartsWith("-%}") ? new JinjaToken("%}", JinjaTokenType.CloseStatement) : new JinjaToken("}}", JinjaTokenType.CloseExpression));
                    position += 3;
                    SkipLeadingWhitespace();
                    continue;
                }

                if (position >= src.Length)
                {
                    throw new FormatException("Chat template ends inside a tag.");
                }

                var c = src[position];
                if ((c is '-' or '+') && ReadSignedNumberOrUnary(c))
                {
                    continue;
                }

                if (ReadSymbol())
                {
                    continue;
                }

                if (c is '\'' or '"')
                {
                    position++;
                    var text = ConsumeWhile(ch => ch != c);
                    tokens.Add(new JinjaToken(text, JinjaTokenType.StringLiteral));
                    position++;
                    continue;
                }

                if (char.IsAsciiDigit(c))
                {
                    var number = ConsumeWhile(char.IsAsciiDigit);
                    if (LastType != JinjaTokenType.Dot && At(position) == '.' && char.IsAsciiDigit(At(position + 1)))
                    {
                        position++;
                        number += "." + ConsumeWhile(char.IsAsciiDigit);
                    }

                    tokens.Add(new JinjaToken(number, JinjaTokenType.NumericLiteral));
                    continue;
                }

                if (JsText.IsWordChar(c))
                {
                    tokens.Add(new JinjaToken(ConsumeWhile(JsText.IsWordChar), JinjaTokenType.Identifier));
                    continue;
                }

                throw new FormatException($"Chat template has an unexpected character '{c}' at offset {position}.");
            }

            return tokens;
        }

        private bool StartsWith(string s) => string.CompareOrdinal(src, position, s, 0, s.Length) == 0;

        private void ReadComment()
        {
            position += 2;
            var stripBefore = At(position) == '-';
            if (stripBefore)
            {
                position++;
            }

            var start = position;
            while (At(position) != '#' || At(position + 1) != '}')
            {
                if (position + 2 >= src.Length)
                {
                    throw new FormatException("Chat template has a comment without its closing #}.");
                }

                position++;
            }

            var comment = src[start..position];
            var stripAfter = comment.EndsWith('-');
            if (stripAfter)
            {
                comment = comment[..^1];
            }

            if (stripBefore)
            {
                StripTrailingWhitespace();
            }

            tokens.Add(new JinjaToken(comment, JinjaTokenType.Comment));
            position += 2;
            if (stripAfter)
            {
                SkipLeadingWhitespace();
            }
        }

        /// <summary>A sign after an operand is binary; elsewhere it starts a signed number or is unary.</summary>
        private bool ReadSignedNumberOrUnary(char sign)
        {
            switch (LastType)
            {
                case null or JinjaTokenType.Text:
                    throw new FormatException($"Chat template has an unexpected '{sign}' at offset {position}.");
                case JinjaTokenType.Identifier or JinjaTokenType.NumericLiteral or JinjaTokenType.StringLiteral
                    or JinjaTokenType.CloseParen or JinjaTokenType.CloseSquareBracket:
                    return false;
            }

            position++;
            var number = ConsumeWhile(char.IsAsciiDigit);
            if (number.Length > 0 && At(position) == '.' && char.IsAsciiDigit(At(position + 1)))
            {
                position++;
                number += "." + ConsumeWhile(char.IsAsciiDigit);
            }

            tokens.Add(new JinjaToken(sign + number, number.Length > 0 ? JinjaTokenType.NumericLiteral : JinjaTokenType.UnaryOperator));
            return true;
        }

        private bool ReadSymbol()
        {
            foreach (var (text, type) in Symbols)
            {
                if ((text == "}}" && curlyDepth > 0) || !StartsWith(text))
                {
                    continue;
                }

                tokens.Add(new JinjaToken(text, type));
                curlyDepth = type switch
                {
                    JinjaTokenType.OpenExpression => 0,
                    JinjaTokenType.OpenCurlyBracket => curlyDepth + 1,
                    JinjaTokenType.CloseCurlyBracket => curlyDepth - 1,
                    _ => curlyDepth,
                };
                position += text.Length;
                return true;
            }

            return false;
        }

        private void StripTrailingWhitespace()
        {
            if (LastType == JinjaTokenType.Text)
            {
                var trimmed = JsText.TrimEnd(tokens[^1].Value);
                tokens.RemoveAt(tokens.Count - 1);
                if (trimmed.Length > 0)
                {
                    tokens.Add(new JinjaToken(trimmed, JinjaTokenType.Text));
                }
            }
        }

        private void SkipLeadingWhitespace()
        {
            while (position < src.Length && JsText.IsWhiteSpace(src[position]))
            {
                position++;
            }
        }

        /// <summary>Reads while the predicate holds, decoding backslash escapes (they only occur in string literals).</summary>
        private string ConsumeWhile(Func<char, bool> predicate)
        {
            var text = new StringBuilder();
            while (position < src.Length && predicate(src[position]))
            {
                if (src[position] == '\\')
                {
                    text.Append(ReadEscape());
                    continue;
                }

                text.Append(src[position++]);
                if (position >= src.Length)
                {
                    throw new FormatException("Chat template ends inside a tag.");
                }
            }

            return text.ToString();
        }

        private string ReadEscape()
        {
            position++;
            if (position >= src.Length)
            {
                throw new FormatException("Chat template ends inside an escape sequence.");
            }

            var escaped = src[position++];
            if (escaped is 'x' or 'u')
            {
                var length = escaped == 'x' ? 2 : 4;
                var hex = src.Substring(position, Math.Min(length, src.Length - position));
                if (hex.Length != length || !hex.All(char.IsAsciiHexDigit))
                {
                    throw new FormatException($"Chat template has an invalid escape \\{escaped}{hex}.");
                }

                position += length;
                return ((char)int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString();
            }

            return escaped switch
            {
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                'b' => "\b",
                'f' => "\f",
                'v' => "\v",
                '\'' => "'",
                '"' => "\"",
                '\\' => "\\",
                _ => throw new FormatException($"Chat template has an unknown escape \\{escaped}."),
            };
        }
    }
}
