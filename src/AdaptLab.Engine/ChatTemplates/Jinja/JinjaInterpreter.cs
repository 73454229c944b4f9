using System.Text;

namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>Evaluates a parsed template with @huggingface/jinja's semantics.</summary>
internal static class JinjaInterpreter
{
    public static string Render(TemplateBody template, JinjaEnvironment environment) => Block(template.Body, environment);

    private static string Block(List<JinjaNode> statements, JinjaEnvironment environment)
    {
        var text = new StringBuilder();
        foreach (var statement in statements)
        {
            var value = Evaluate(statement, environment);
            if (value is not (NullValue or UndefinedValue))
            {
                text.Append(value.ToString());
            }
        }

        return text.ToString();
    }

    private static JinjaValue Evaluate(JinjaNode node, JinjaEnvironment environment) => node switch
    {
        SetNode set => Set(set, environment),
        IfNode ifNode => new StringValue(Block(Evaluate(ifNode.Test, environment).IsTruthy ? ifNode.Body : ifNode.Alternate, environment)),
        ForNode forNode => For(forNode, environment),
        MacroNode macro => DefineMacro(macro, environment),
        FilterBlockNode block => Filter(new StringValue(Block(block.Body, environment)), block.Filter, environment),
        BreakNode => throw new BreakSignal(),
        ContinueNode => throw new ContinueSignal(),
        CommentNode => NullValue.Instance,
        IntegerLiteral i => new IntegerValue(i.Value),
        FloatLiteral f => new FloatValue(f.Value),
        StringLiteral s => new StringValue(s.Value),
        ArrayLiteral a => new ArrayValue([.. a.Items.Select(item => Evaluate(item, environment))], a.IsTuple),
        ObjectLiteral o => ObjectOf(o, environment),
        IdentifierNode id => environment.Lookup(id.Name),
        CallNode call => Call(call, environment),
        MemberNode member => Member(member, environment),
        UnaryNode unary => Unary(unary, environment),
        BinaryNode binary => Binary(binary, environment),
        FilterNode filter => Filter(Evaluate(filter.Operand, environment), filter.Filter, environment),
        TestNode test => BoolValue.Of(JinjaTests.Run(test.Test, Evaluate(test.Operand, environment)) != test.Negate),
        SelectNode select => Evaluate(select.Test, environment).IsTruthy ? Evaluate(select.Value, environment) : UndefinedValue.Instance,
        TernaryNode ternary => Evaluate(Evaluate(ternary.Condition, environment).IsTruthy ? ternary.IfTrue : ternary.IfFalse, environment),
        _ => throw new FormatException($"Chat template: {node.GetType().Name} cannot be evaluated here."),
    };

    private static ObjectValue ObjectOf(ObjectLiteral literal, JinjaEnvironment environment)
    {
        var entries = new Dictionary<string, JinjaValue>();
        foreach (var (key, value) in literal.Entries)
        {
            var name = Evaluate(key, environment) as StringValue ?? throw new FormatException("Chat template: object keys must be strings.");
            entries[name.Value] = Evaluate(value, environment);
        }

        return new ObjectValue(entries);
    }

    private static JinjaValue Set(SetNode set, JinjaEnvironment environment)
    {
        var value = set.Value is null ? new StringValue(Block(set.Body, environment)) : Evaluate(set.Value, environment);
        switch (set.Assignee)
        {
            case IdentifierNode id:
                environment.Set(id.Name, value);
                break;
            case ArrayLiteral { IsTuple: true } tuple:
                var items = value is ArrayValue a ? a.Items : throw new FormatException($"Chat template: cannot unpack a {value.TypeName} in set.");
                if (items.Count != tuple.Items.Count)
                {
                    throw new FormatException($"Chat template: set unpacks {items.Count} items into {tuple.Items.Count} names.");
                }

                for (var i = 0; i < items.Count; i++)
                {
                    environment.Set(tuple.Items[i] is IdentifierNode name ? name.Name : throw new FormatException("Chat template: set unpacks into names only."), items[i]);
                }

                break;
            case MemberNode { Property: IdentifierNode property } member:
                var target = Evaluate(member.Target, environment) as NamespaceValue
                    ?? throw new FormatException("Chat template: only namespace attributes can be assigned.");
                target.Entries[property.Name] = value;
                break;
            default:
                throw new FormatException("Chat template: set needs a name, a tuple of names or a namespace attribute.");
        }

        return NullValue.Instance;
    }

    private static StringValue For(ForNode node, JinjaEnvironment environment)
    {
        var scope = new JinjaEnvironment(environment);
        var (iterableNode, test) = node.Iterable is SelectNode select ? (select.Value, select.Test) : (node.Iterable, null);
        var iterable = Evaluate(iterableNode, scope) switch
        {
            ArrayValue a => a.Items,
            ObjectValue o => [.. o.Entries.Keys.Select(k => (JinjaValue)new StringValue(k))],
            var other => throw new FormatException($"Chat template: a for loop cannot iterate over a {other.TypeName}."),
        };

        var items = new List<JinjaValue>();
        foreach (var item in iterable)
        {
            if (test is not null)
            {
                var testScope = new JinjaEnvironment(scope);
                Bind(node.LoopVariable, item, testScope);
                if (!Evaluate(test, testScope).IsTruthy)
                {
                    continue;
                }
            }

            items.Add(item);
        }

        var text = new StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            scope.Set("loop", LoopInfo(items, i));
            Bind(node.LoopVariable, items[i], scope);
            try
            {
                text.Append(Block(node.Body, scope));
            }
            catch (ContinueSignal)
            {
            }
            catch (BreakSignal)
            {
                break;
            }
        }

        if (items.Count == 0)
        {
            text.Append(Block(node.Otherwise, scope));
        }

        return new StringValue(text.ToString());
    }

    private static ObjectValue LoopInfo(List<JinjaValue> items, int i) => new(new Dictionary<string, JinjaValue>
    {
        ["index"] = new IntegerValue(i + 1),
        ["index0"] = new IntegerValue(i),
        ["revindex"] = new IntegerValue(items.Count - i),
        ["revindex0"] = new IntegerValue(items.Count - i - 1),
        ["first"] = BoolValue.Of(i == 0),
        ["last"] = BoolValue.Of(i == items.Count - 1),
        ["length"] = new IntegerValue(items.Count),
        ["previtem"] = i > 0 ? items[i - 1] : UndefinedValue.Instance,
        ["nextitem"] = i < items.Count - 1 ? items[i + 1] : UndefinedValue.Instance,
    });

    private static void Bind(JinjaNode target, JinjaValue item, JinjaEnvironment scope)
    {
        if (target is IdentifierNode id)
        {
            scope.Set(id.Name, item);
            return;
        }

        var names = ((ArrayLiteral)target).Items;
        var values = item is ArrayValue a ? a.Items : throw new FormatException($"Chat template: cannot unpack a {item.TypeName} in a for loop.");
        if (values.Count != names.Count)
        {
            throw new FormatException($"Chat template: a for loop unpacks {values.Count} items into {names.Count} names.");
        }

        for (var i = 0; i < names.Count; i++)
        {
            scope.Set(names[i] is IdentifierNode name ? name.Name : throw new FormatException("Chat template: a for loop unpacks into names only."), values[i]);
        }
    }

    private static NullValue DefineMacro(MacroNode macro, JinjaEnvironment environment)
    {
        environment.Set(macro.Name, new FunctionValue((args, caller) =>
        {
            var scope = new JinjaEnvironment(caller);
            var keywords = args.Count > 0 && args[^1] is ObjectValue { IsKeywordArguments: true } k ? new Dictionary<string, JinjaValue>(k.Entries) : [];
            var positional = keywords.Count > 0 || (args.Count > 0 && args[^1] is ObjectValue { IsKeywordArguments: true }) ? args[..^1] : args;
            if (positional.Count > macro.Parameters.Count)
            {
                throw new FormatException($"Chat template: macro {macro.Name} takes at most {macro.Parameters.Count} arguments.");
            }

            var defaults = new List<(string Name, JinjaNode Value)>();
            for (var i = 0; i < macro.Parameters.Count; i++)
            {
                var (name, fallback) = macro.Parameters[i] is KeywordArgumentNode p ? (p.Key, p.Value) : (((IdentifierNode)macro.Parameters[i]).Name, null);
                JinjaValue? value = i < positional.Count ? positional[i] : null;
                if (value is null && keywords.Remove(name, out var given))
                {
                    value = given;
                }

                if (value is null && fallback is not null)
                {
                    defaults.Add((name, fallback));
                }

                scope.Set(name, value ?? UndefinedValue.Instance);
            }

            if (keywords.Count > 0)
            {
                throw new FormatException($"Chat template: macro {macro.Name} takes no keyword argument '{keywords.Keys.First()}'.");
            }

            foreach (var (name, value) in defaults)
            {
                scope.Set(name, Evaluate(value, scope));
            }

            return new StringValue(Block(macro.Body, scope));
        }));
        return NullValue.Instance;
    }

    private static (List<JinjaValue> Positional, Dictionary<string, JinjaValue> Keywords) Arguments(List<JinjaNode> nodes, JinjaEnvironment environment)
    {
        var positional = nodes.Where(n => n is not KeywordArgumentNode).Select(n => Evaluate(n, environment)).ToList();
        var keywords = new Dictionary<string, JinjaValue>();
        foreach (var keyword in nodes.OfType<KeywordArgumentNode>())
        {
            if (!keywords.TryAdd(keyword.Key, Evaluate(keyword.Value, environment)))
            {
                throw new FormatException($"Chat template: keyword argument '{keyword.Key}' is given twice.");
            }
        }

        return (positional, keywords);
    }

    private static JinjaValue Call(CallNode call, JinjaEnvironment environment)
    {
        var (args, keywords) = Arguments(call.Arguments, environment);
        if (keywords.Count > 0)
        {
            args.Add(new ObjectValue(keywords, isKeywordArguments: true));
        }

        var callee = Evaluate(call.Callee, environment) as FunctionValue
            ?? throw new FormatException($"Chat template calls {Describe(call.Callee)}, which is not a function.");
        return callee.Function(args, environment);
    }

    private static string Describe(JinjaNode node) => node switch
    {
        IdentifierNode id => $"'{id.Name}'",
        MemberNode { Property: IdentifierNode p, Computed: false } m => $"{Describe(m.Target)}.{p.Name}",
        _ => "a value",
    };

    private static JinjaValue Member(MemberNode member, JinjaEnvironment environment)
    {
        var target = Evaluate(member.Target, environment);
        if (member.Property is SliceNode slice)
        {
            return Slice(target, slice, environment);
        }

        var property = member.Computed ? Evaluate(member.Property, environment)
            : member.Property is IntegerLiteral i ? new IntegerValue(i.Value)
            : new StringValue(((IdentifierNode)member.Property).Name);

        switch (target)
        {
            case ObjectValue or NamespaceValue:
                var key = property as StringValue ?? throw new FormatException($"Chat template: a mapping's key must be a string, not a {property.TypeName}.");
                var entries = target is ObjectValue o ? o.Entries : ((NamespaceValue)target).Entries;
                return entries.GetValueOrDefault(key.Value) ?? (target is ObjectValue ? JinjaMembers.Get(target, key.Value) : UndefinedValue.Instance);
            case ArrayValue or StringValue when property is IntegerValue index:
                return target is ArrayValue list ? At(list.Items, index.Value) ?? UndefinedValue.Instance
                    : At([.. ((StringValue)target).Value.Select(c => (JinjaValue)new StringValue(c.ToString()))], index.Value) ?? UndefinedValue.Instance;
            case ArrayValue or StringValue when property is StringValue name:
                return JinjaMembers.Get(target, name.Value);
            default:
                return property is StringValue attribute
                    ? JinjaMembers.Get(target, attribute.Value)
                    : throw new FormatException($"Chat template: cannot index a {target.TypeName} with a {property.TypeName}.");
        }
    }

    private static JinjaValue? At(List<JinjaValue> items, long index)
    {
        var i = index < 0 ? items.Count + index : index;
        return i >= 0 && i < items.Count ? items[(int)i] : null;
    }

    private static JinjaValue Slice(JinjaValue target, SliceNode slice, JinjaEnvironment environment)
    {
        long? Part(JinjaNode? node) => node is null ? null : Evaluate(node, environment) switch
        {
            IntegerValue i => i.Value,
            UndefinedValue => null,
            var other => throw new FormatException($"Chat template: slice bounds must be integers, not a {other.TypeName}."),
        };

        var (start, stop, step) = (Part(slice.Start), Part(slice.Stop), Part(slice.Step) ?? 1);
        if (step == 0)
        {
            throw new FormatException("Chat template: a slice step cannot be zero.");
        }

        var items = target switch
        {
            ArrayValue a => a.Items,
            // The reference slices strings by code point.
            StringValue s => [.. CodePoints(s.Value).Select(c => (JinjaValue)new StringValue(c))],
            _ => throw new FormatException($"Chat template: cannot slice a {target.TypeName}."),
        };
        long count = items.Count;
        long from, to;
        if (step > 0)
        {
            from = start is { } a ? (a < 0 ? Math.Max(count + a, 0) : Math.Min(a, count)) : 0;
            to = stop is { } b ? (b < 0 ? Math.Max(count + b, 0) : Math.Min(b, count)) : count;
        }
        else
        {
            from = start is { } a ? (a < 0 ? Math.Max(count + a, -1) : Math.Min(a, count - 1)) : count - 1;
            to = stop is { } b ? (b < -1 ? Math.Max(count + b, -1) : Math.Min(b, count - 1)) : -1;
        }

        var picked = new List<JinjaValue>();
        for (var i = from; step > 0 ? i < to : i > to; i += step)
        {
            picked.Add(items[(int)i]);
        }

        return target is StringValue ? new StringValue(string.Concat(picked.Select(p => p.ToString()))) : new ArrayValue(picked);
    }

    private static IEnumerable<string> CodePoints(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            yield return char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? s.Substring(i++, 2) : s[i].ToString();
        }
    }

    private static JinjaValue Unary(UnaryNode unary, JinjaEnvironment environment)
    {
        var operand = Evaluate(unary.Operand, environment);
        return (unary.Operator, operand) switch
        {
            ("not", _) => BoolValue.Of(!operand.IsTruthy),
            ("-", FloatValue f) => new FloatValue(-f.Value),
            ("+", FloatValue f) => f,
            ("-", IntegerValue i) => new IntegerValue(-i.Value),
            ("+", IntegerValue i) => i,
            ("-", BoolValue b) => new IntegerValue(b.Value ? -1 : 0),
            ("+", BoolValue b) => new IntegerValue(b.Value ? 1 : 0),
            _ => throw new FormatException($"Chat template: unary '{unary.Operator}' does not apply to a {operand.TypeName}."),
        };
    }

    private static JinjaValue Binary(BinaryNode node, JinjaEnvironment environment)
    {
        var left = Evaluate(node.Left, environment);
        switch (node.Operator)
        {
            case "and":
                return left.IsTruthy ? Evaluate(node.Right, environment) : left;
            case "or":
                return left.IsTruthy ? left : Evaluate(node.Right, environment);
        }

        var right = Evaluate(node.Right, environment);
        var op = node.Operator;
        switch (op)
        {
            case "==":
                return BoolValue.Of(JinjaOperations.LooseEquals(left, right));
            case "!=":
                return BoolValue.Of(!JinjaOperations.LooseEquals(left, right));
        }

        if (left is UndefinedValue || right is UndefinedValue)
        {
            return right is UndefinedValue && op is "in" or "not in"
                ? BoolValue.Of(op == "not in")
                : throw new FormatException($"Chat template: '{op}' on an undefined value.");
        }

        if (left is NullValue || right is NullValue)
        {
            throw new FormatException($"Chat template: '{op}' on none.");
        }

        if (op == "~")
        {
            return new StringValue(JinjaOperations.RawText(left) + JinjaOperations.RawText(right));
        }

        if (op == "**" && JinjaOperations.IsNumericLike(left) && JinjaOperations.IsNumericLike(right))
        {
            var (a, b) = (JinjaOperations.ToNumber(left), JinjaOperations.ToNumber(right));
            var power = Math.Pow(a, b);
            return left is FloatValue || right is FloatValue || b < 0 ? new FloatValue(power) : new IntegerValue((long)power);
        }

        if (JinjaOperations.IsNumber(left) && JinjaOperations.IsNumber(right))
        {
            if (Arithmetic(op, left, right) is { } result)
            {
                return result;
            }
        }
        else if (left is ArrayValue leftList && right is ArrayValue rightList)
        {
            if (op == "+")
            {
                return new ArrayValue([.. leftList.Items, .. rightList.Items]);
            }
        }
        else if (right is ArrayValue list && op is "in" or "not in")
        {
            return BoolValue.Of(list.Items.Any(x => JinjaOperations.StrictEquals(x, left)) == (op == "in"));
        }

        if (op == "+" && (left is StringValue || right is StringValue))
        {
            return new StringValue(JinjaOperations.RawText(left) + JinjaOperations.RawText(right));
        }

        if (op is "in" or "not in")
        {
            if (left is StringValue needle && right is StringValue haystack)
            {
                return BoolValue.Of(haystack.Value.Contains(needle.Value, StringComparison.Ordinal) == (op == "in"));
            }

            if (left is StringValue key && right is ObjectValue mapping)
            {
                return BoolValue.Of(mapping.Entries.ContainsKey(key.Value) == (op == "in"));
            }
        }

        throw new FormatException($"Chat template: '{op}' does not apply to a {left.TypeName} and a {right.TypeName}.");
    }

    private static JinjaValue? Arithmetic(string op, JinjaValue left, JinjaValue right)
    {
        var isFloat = left is FloatValue || right is FloatValue;
        if (!isFloat && op is "+" or "-" or "*" or "//" or "%")
        {
            var (a, b) = (((IntegerValue)left).Value, ((IntegerValue)right).Value);
            if (op is "//" or "%" && b == 0)
            {
                throw new FormatException("Chat template divides by zero.");
            }

            return new IntegerValue(op switch
            {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "//" => (long)Math.Floor((double)a / b),
                _ => a % b,
            });
        }

        var (x, y) = (JinjaOperations.ToNumber(left), JinjaOperations.ToNumber(right));
        return op switch
        {
            "+" => new FloatValue(x + y),
            "-" => new FloatValue(x - y),
            "*" => new FloatValue(x * y),
            "/" => new FloatValue(x / y),
            "//" => new FloatValue(Math.Floor(x / y)),
            // JavaScript's % truncates like C#'s, unlike Python's.
            "%" => new FloatValue(x % y),
            "<" => BoolValue.Of(x < y),
            ">" => BoolValue.Of(x > y),
            "<=" => BoolValue.Of(x <= y),
            ">=" => BoolValue.Of(x >= y),
            _ => null,
        };
    }

    private static JinjaValue Filter(JinjaValue operand, JinjaNode filter, JinjaEnvironment environment)
    {
        switch (filter)
        {
            case IdentifierNode name:
                return JinjaFilters.ApplyBare(operand, name.Name);
            case CallNode { Callee: IdentifierNode name } call:
                if (name.Name is "selectattr" or "rejectattr" && call.Arguments.Any(a => a is not StringLiteral))
                {
                    throw new FormatException($"Chat template: the arguments of {name.Name} must be string literals.");
                }

                var (args, keywords) = Arguments(call.Arguments, environment);
                return JinjaFilters.ApplyCall(operand, name.Name, args, keywords);
            default:
                throw new FormatException("Chat template: a filter must be a name or a call of one.");
        }
    }

    private sealed class BreakSignal : Exception;

    private sealed class ContinueSignal : Exception;
}
