namespace AdaptLab.Engine.ChatTemplates.Jinja;

internal enum JinjaTokenType
{
    Text,
    NumericLiteral,
    StringLiteral,
    Identifier,
    Equals,
    OpenParen,
    CloseParen,
    OpenStatement,
    CloseStatement,
    OpenExpression,
    CloseExpression,
    OpenSquareBracket,
    CloseSquareBracket,
    OpenCurlyBracket,
    CloseCurlyBracket,
    Comma,
    Dot,
    Colon,
    Pipe,
    AdditiveOperator,
    MultiplicativeOperator,
    ExponentiationOperator,
    ComparisonOperator,
    UnaryOperator,
    Comment,
}

internal sealed record JinjaToken(string Value, JinjaTokenType Type);
