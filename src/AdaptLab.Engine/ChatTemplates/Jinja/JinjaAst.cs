namespace AdaptLab.Engine.ChatTemplates.Jinja;

internal abstract record JinjaNode;

internal sealed record TemplateBody(List<JinjaNode> Body) : JinjaNode;

internal sealed record IfNode(JinjaNode Test, List<JinjaNode> Body, List<JinjaNode> Alternate) : JinjaNode;

internal sealed record ForNode(JinjaNode LoopVariable, JinjaNode Iterable, List<JinjaNode> Body, List<JinjaNode> Otherwise) : JinjaNode;

internal sealed record BreakNode : JinjaNode;

internal sealed record ContinueNode : JinjaNode;

/// <summary><c>{% set x = value %}</c>, or the block form <c>{% set x %}body{% endset %}</c> when Value is null.</summary>
internal sealed record SetNode(JinjaNode Assignee, JinjaNode? Value, List<JinjaNode> Body) : JinjaNode;

/// <summary><c>{% filter f %}body{% endfilter %}</c>: the rendered body through a filter (a name or a call of one).</summary>
internal sealed record FilterBlockNode(JinjaNode Filter, List<JinjaNode> Body) : JinjaNode;

internal sealed record MacroNode(string Name, List<JinjaNode> Parameters, List<JinjaNode> Body) : JinjaNode;

internal sealed record CommentNode : JinjaNode;

internal sealed record MemberNode(JinjaNode Target, JinjaNode Property, bool Computed) : JinjaNode;

internal sealed record CallNode(JinjaNode Callee, List<JinjaNode> Arguments) : JinjaNode;

internal sealed record IdentifierNode(string Name) : JinjaNode;

internal sealed record IntegerLiteral(long Value) : JinjaNode;

internal sealed record FloatLiteral(double Value) : JinjaNode;

internal sealed record StringLiteral(string Value) : JinjaNode;

internal sealed record ArrayLiteral(List<JinjaNode> Items, bool IsTuple) : JinjaNode;

internal sealed record ObjectLiteral(List<(JinjaNode Key, JinjaNode Value)> Entries) : JinjaNode;

internal sealed record BinaryNode(string Operator, JinjaNode Left, JinjaNode Right) : JinjaNode;

/// <summary><c>operand | filter</c>; Filter is an identifier or a call of one.</summary>
internal sealed record FilterNode(JinjaNode Operand, JinjaNode Filter) : JinjaNode;

/// <summary><c>value if test</c> without an else: undefined when the test fails (also filters for-loops).</summary>
internal sealed record SelectNode(JinjaNode Value, JinjaNode Test) : JinjaNode;

internal sealed record TestNode(JinjaNode Operand, bool Negate, string Test) : JinjaNode;

internal sealed record UnaryNode(string Operator, JinjaNode Operand) : JinjaNode;

internal sealed record SliceNode(JinjaNode? Start, JinjaNode? Stop, JinjaNode? Step) : JinjaNode;

internal sealed record KeywordArgumentNode(string Key, JinjaNode Value) : JinjaNode;

internal sealed record TernaryNode(JinjaNode Condition, JinjaNode IfTrue, JinjaNode IfFalse) : JinjaNode;
