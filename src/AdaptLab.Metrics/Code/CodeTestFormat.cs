namespace AdaptLab.Metrics.Code;

/// <summary>How a code task's dataset gives the tests a program must pass (metric option <c>test_format</c>).</summary>
public enum CodeTestFormat
{
    /// <summary>openai/human-eval: fields <c>prompt</c>, <c>test</c> (defines <c>check</c>) and <c>entry_point</c>.</summary>
    HumanEval,

    /// <summary>MBPP-style: field <c>tests</c>, a list of <c>assert</c> statements, and optional <c>setup</c> code.</summary>
    Asserts,
}
