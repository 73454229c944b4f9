using System.Globalization;

namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>
/// Builds the syntax tree with @huggingface/jinja's grammar and precedence (for example, filters bind tighter
/// than unary minus, and <c>a if b</c> without else is a select). Call blocks and argument unpacking, which
/// chat templates do not use, are rejected.
/// </summary>
internal sealed class JinjaParser(List<JinjaToken> tokens)
{
    private readonly List<JinjaToken> tokens = tokens;
    private int current;

    public static TemplateBody Parse(string template)
    {
        var parser = new JinjaParser(JinjaLexer.Tokenize(template));
        var body = new List<JinjaNode>();
        while (parser.current < parser.tokens.Count)
        {
            body.Add(parser.ParseAny());
        }

        return new TemplateBody(body);
    }

    private JinjaToken Peek(int ahead = 0) =>
        current + ahead < tokens.Count ? tokens[current + ahead] : throw new FormatException("Chat template ends unexpectedly.");

    private bool Is(JinjaTokenType type) => current < tokens.Count && tokens[current].Type == type;

    private bool IsIdentifier(string name) => Is(JinjaTokenType.Identifier) && tokens[current].Value == name;

    private bool IsStatement(params string[] names) =>
        current + 1 < tokens.Count && tokens[current].Type == JinjaTokenType.OpenStatement
        && tokens[current + 1].Type == JinjaTokenType.Identifier && names.Contains(tokens[current + 1].Value);

    private JinjaToken Expect(JinjaTokenType type, string what)
    {
        var token = Peek();
        if (token.Type != type)
        {
            throw new FormatException($"Chat template: expected {what}, found {token.Type} '{token.Value}'.");
        }

        current++;
        return token;
    }

    private void ExpectIdentifier(string name)
    {
        if (!IsIdentifier(name))
        {
            throw new FormatException($"Chat template: expected '{name}'.");
        }

        current++;
    }

    private void ExpectEnd(string keyword)
    {
        Expect(JinjaTokenType.OpenStatement, "'{%'");
        ExpectIdentifier(keyword);
        Expect(JinjaTokenType.CloseStatement, "'%}'");
    }

    private JinjaNode ParseAny()
    {
        var token = Peek();
        switch (token.Type)
        {
            case JinjaTokenType.Comment:
                current++;
                return new CommentNode();
            case JinjaTokenType.Text:
                current++;
                return new StringLiteral(token.Value);
            case JinjaTokenType.OpenStatement:
                return ParseStatement();
            case JinjaTokenType.OpenExpression:
                current++;
                var expression = ParseExpression();
                Expect(JinjaTokenType.CloseExpression, "'}}'");
                return expression;
            default:
                throw new FormatException($"Chat template: unexpected {token.Type} '{token.Value}'.");
        }
    }

    private List<JinjaNode> ParseUntil(params string[] statements)
    {
        var body = new List<JinjaNode>();
        while (!IsStatement(statements))
        {
            body.Add(ParseAny());
        }

        return body;
    }

    private JinjaNode ParseStatement()
    {
        Expect(JinjaTokenType.OpenStatement, "'{%'");
        var name = Expect(JinjaTokenType.Identifier, "a statement name").Value;
        switch (name)
        {
            case "set":
                return ParseSet();
            case "if":
                var ifNode = ParseIf();
                ExpectEnd("endif");
                return ifNode;
            case "for":
                var forNode = ParseFor();
                ExpectEnd("endfor");
                return forNode;
            case "macro":
                var macro = ParseMacro();
                ExpectEnd("endmacro");
                return macro;
            case "filter":
                // As the reference parses it: one filter name, perhaps called; no chain of filters.
                var filter = ParsePrimary();
                if (filter is IdentifierNode && Is(JinjaTokenType.OpenParen))
                {
                    filter = ParseCall(filter);
                }

                Expect(JinjaTokenType.CloseStatement, "'%}'");
                var filtered = ParseUntil("endfilter");
                ExpectEnd("endfilter");
                return new FilterBlockNode(filter, filtered);
            case "break":
                Expect(JinjaTokenType.CloseStatement, "'%}'");
                return new BreakNode();
            case "continue":
                Expect(JinjaTokenType.CloseStatement, "'%}'");
                return new ContinueNode();
            default:
                throw new FormatException($"Chat template uses the statement '{name}', which is not supported.");
        }
    }

    private SetNode ParseSet()
    {
        var assignee = ParseExpressionSequence(primary: false);
        if (Is(JinjaTokenType.Equals))
        {
            current++;
            var value = ParseExpressionSequence(primary: false);
            Expect(JinjaTokenType.CloseStatement, "'%}'");
            return new SetNode(assignee, value, []);
        }

        Expect(JinjaTokenType.CloseStatement, "'%}'");
        var body = ParseUntil("endset");
        ExpectEnd("endset");
        return new SetNode(assignee, null, body);
    }

    private IfNode ParseIf()
    {
        var test = ParseExpression();
        Expect(JinjaTokenType.CloseStatement, "'%}'");
        var body = ParseUntil("elif", "else", "endif");
        var alternate = new List<JinjaNode>();
        if (IsStatement("elif"))
        {
            current += 2;
            alternate.Add(ParseIf());
        }
        else if (IsStatement("else"))
        {
            current += 2;
            Expect(JinjaTokenType.CloseStatement, "'%}'");
            alternate = ParseUntil("endif");
        }

        return new IfNode(test, body, alternate);
    }

    private ForNode ParseFor()
    {
        var loopVariable = ParseExpressionSequence(primary: true);
        if (loopVariable is not (IdentifierNode or ArrayLiteral { IsTuple: true }))
        {
            throw new FormatException("Chat template: a for loop needs a name or a tuple of names before 'in'.");
        }

        ExpectIdentifier("in");
        var iterable = ParseExpression();
        Expect(JinjaTokenType.CloseStatement, "'%}'");
        var body = ParseUntil("endfor", "else");
        var otherwise = new List<JinjaNode>();
        if (IsStatement("else"))
        {
            current += 2;
            Expect(JinjaTokenType.CloseStatement, "'%}'");
            otherwise = ParseUntil("endfor");
        }

        return new ForNode(loopVariable, iterable, body, otherwise);
    }

    private MacroNode ParseMacro()
    {
        var name = ParsePrimary() as IdentifierNode ?? throw new FormatException("Chat template: a macro needs a name.");
        var parameters = ParseArguments();
        if (parameters.Any(p => p is not (IdentifierNode or KeywordArgumentNode)))
        {
            throw new FormatException($"Chat template: macro {name.Name} has a parameter that is not a name.");
        }

        Expect(JinjaTokenType.CloseStatement, "'%}'");
        return new MacroNode(name.Name, parameters, ParseUntil("endmacro"));
    }

    private JinjaNode ParseExpressionSequence(bool primary)
    {
        var first = primary ? ParsePrimary() : ParseExpression();
        if (!Is(JinjaTokenType.Comma))
        {
            return first;
        }

        var items = new List<JinjaNode> { first };
        while (Is(JinjaTokenType.Comma))
        {
            current++;
            items.Add(primary ? ParsePrimary() : ParseExpression());
        }

        return new ArrayLiteral(items, IsTuple: true);
    }

    private JinjaNode ParseExpression()
    {
        var value = ParseOr();
        if (!IsIdentifier("if"))
        {
            return value;
        }

        current++;
        var test = ParseOr();
        if (!IsIdentifier("else"))
        {
            return new SelectNode(value, test);
        }

        current++;
        return new TernaryNode(test, value, ParseExpression());
    }

    private JinjaNode ParseOr()
    {
        var left = ParseAnd();
        while (IsIdentifier("or"))
        {
            current++;
            left = new BinaryNode("or", left, ParseAnd());
        }

        return left;
    }

    private JinjaNode ParseAnd()
    {
        var left = ParseNot();
        while (IsIdentifier("and"))
        {
            current++;
            left = new BinaryNode("and", left, ParseNot());
        }

        return left;
    }

    private JinjaNode ParseNot()
    {
        if (IsIdentifier("not"))
        {
            current++;
            return new UnaryNode("not", ParseNot());
        }

        return ParseComparison();
    }

    private JinjaNode ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            string op;
            if (IsIdentifier("not") && current + 1 < tokens.Count && tokens[current + 1] is { Type: JinjaTokenType.Identifier, Value: "in" })
            {
                op = "not in";
                current += 2;
            }
            else if (IsIdentifier("in") || Is(JinjaTokenType.ComparisonOperator))
            {
                op = tokens[current++].Value;
            }
            else
            {
                return left;
            }

            left = new BinaryNode(op, left, ParseAdditive());
        }
    }

    private JinjaNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Is(JinjaTokenType.AdditiveOperator))
        {
            var op = tokens[current++].Value;
            left = new BinaryNode(op, left, ParseMultiplicative());
        }

        return left;
    }

    private JinjaNode ParseMultiplicative()
    {
        var left = ParsePower();
        while (Is(JinjaTokenType.MultiplicativeOperator))
        {
            var op = tokens[current++].Value;
            left = new BinaryNode(op, left, ParsePower());
        }

        return left;
    }

    private JinjaNode ParsePower()
    {
        var left = ParseTest();
        while (Is(JinjaTokenType.ExponentiationOperator))
        {
            current++;
            left = new BinaryNode("**", left, ParseTest());
        }

        return left;
    }

    private JinjaNode ParseTest()
    {
        var operand = ParseFilter();
        while (IsIdentifier("is"))
        {
            current++;
            var negate = IsIdentifier("not");
            if (negate)
            {
                current++;
            }

            var test = ParsePrimary() as IdentifierNode ?? throw new FormatException("Chat template: 'is' needs a test name.");
            operand = new TestNode(operand, negate, test.Name);
        }

        return operand;
    }

    private JinjaNode ParseFilter()
    {
        var operand = ParseUnarySign();
        while (Is(JinjaTokenType.Pipe))
        {
            current++;
            JinjaNode filter = ParsePrimary() as IdentifierNode ?? throw new FormatException("Chat template: '|' needs a filter name.");
            if (Is(JinjaTokenType.OpenParen))
            {
                filter = ParseCall(filter);
            }

            operand = new FilterNode(operand, filter);
        }

        return operand;
    }

    private JinjaNode ParseUnarySign()
    {
        if ((Is(JinjaTokenType.UnaryOperator) || Is(JinjaTokenType.AdditiveOperator)) && tokens[current].Value is "-" or "+")
        {
            var op = tokens[current++].Value;
            return new UnaryNode(op, ParseUnarySign());
        }

        var member = ParseMember(ParsePrimary());
        return Is(JinjaTokenType.OpenParen) ? ParseCall(member) : member;
    }

    private JinjaNode ParseCall(JinjaNode callee)
    {
        JinjaNode call = new CallNode(callee, ParseArguments());
        call = ParseMember(call);
        return Is(JinjaTokenType.OpenParen) ? ParseCall(call) : call;
    }

    private List<JinjaNode> ParseArguments()
    {
        Expect(JinjaTokenType.OpenParen, "'('");
        var arguments = new List<JinjaNode>();
        while (!Is(JinjaTokenType.CloseParen))
        {
            if (Is(JinjaTokenType.ExponentiationOperator) || (Is(JinjaTokenType.MultiplicativeOperator) && tokens[current].Value == "*"))
            {
                throw new FormatException("Chat template unpacks arguments with * or **, which is not supported.");
            }

            var argument = ParseExpression();
            if (Is(JinjaTokenType.Equals))
            {
                current++;
                var key = argument as IdentifierNode ?? throw new FormatException("Chat template: a keyword argument needs a name.");
                argument = new KeywordArgumentNode(key.Name, ParseExpression());
            }
            else if (arguments.Any(a => a is KeywordArgumentNode))
            {
                throw new FormatException("Chat template: positional arguments must come before keyword arguments.");
            }

            arguments.Add(argument);
            if (Is(JinjaTokenType.Comma))
            {
                current++;
            }
        }

        current++;
        return arguments;
    }

    private JinjaNode ParseMember(JinjaNode target)
    {
        while (Is(JinjaTokenType.Dot) || Is(JinjaTokenType.OpenSquareBracket))
        {
            var computed = tokens[current++].Type == JinjaTokenType.OpenSquareBracket;
            JinjaNode property;
            if (computed)
            {
                property = ParseSubscript();
                Expect(JinjaTokenType.CloseSquareBracket, "']'");
            }
            else
            {
                property = ParsePrimary();
                if (property is not (IdentifierNode or IntegerLiteral))
                {
                    throw new FormatException("Chat template: '.' needs a name or an integer after it.");
                }
            }

            target = new MemberNode(target, property, computed);
        }

        return target;
    }

    private JinjaNode ParseSubscript()
    {
        var parts = new List<JinjaNode?>();
        var isSlice = false;
        while (!Is(JinjaTokenType.CloseSquareBracket))
        {
            if (Is(JinjaTokenType.Colon))
            {
                parts.Add(null);
                current++;
                isSlice = true;
            }
            else
            {
                parts.Add(ParseExpression());
                if (Is(JinjaTokenType.Colon))
                {
                    current++;
                    isSlice = true;
                }
            }
        }

        if (parts.Count == 0)
        {
            throw new FormatException("Chat template: '[]' needs an index or a slice.");
        }

        if (!isSlice)
        {
            return parts[0]!;
        }

        return parts.Count <= 3
            ? new SliceNode(parts[0], parts.ElementAtOrDefault(1), parts.ElementAtOrDefault(2))
            : throw new FormatException("Chat template: a slice takes at most 3 parts.");
    }

    private JinjaNode ParsePrimary()
    {
        var token = Peek();
        current++;
        switch (token.Type)
        {
            case JinjaTokenType.NumericLiteral:
                return token.Value.Contains('.')
                    ? new FloatLiteral(double.Parse(token.Value, CultureInfo.InvariantCulture))
                    : new IntegerLiteral(long.Parse(token.Value, CultureInfo.InvariantCulture));
            case JinjaTokenType.StringLiteral:
                var text = token.Value;
                while (Is(JinjaTokenType.StringLiteral))
                {
                    text += tokens[current++].Value;
                }

                return new StringLiteral(text);
            case JinjaTokenType.Identifier:
                return new IdentifierNode(token.Value);
            case JinjaTokenType.OpenParen:
                var inner = ParseExpressionSequence(primary: false);
                Expect(JinjaTokenType.CloseParen, "')'");
                return inner;
            case JinjaTokenType.OpenSquareBracket:
                var items = new List<JinjaNode>();
                while (!Is(JinjaTokenType.CloseSquareBracket))
                {
                    items.Add(ParseExpression());
                    if (Is(JinjaTokenType.Comma))
                    {
                        current++;
                    }
                }

                current++;
                return new ArrayLiteral(items, IsTuple: false);
            case JinjaTokenType.OpenCurlyBracket:
                var entries = new List<(JinjaNode, JinjaNode)>();
                while (!Is(JinjaTokenType.CloseCurlyBracket))
                {
                    var key = ParseExpression();
                    Expect(JinjaTokenType.Colon, "':' in an object literal");
                    entries.Add((key, ParseExpression()));
                    if (Is(JinjaTokenType.Comma))
                    {
                        current++;
                    }
                }

                current++;
                return new ObjectLiteral(entries);
            default:
                throw new FormatException($"Chat template: unexpected {token.Type} '{token.Value}'.");
        }
    }
}
