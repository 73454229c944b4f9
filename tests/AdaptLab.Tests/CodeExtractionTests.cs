using AdaptLab.Core.Tasks;
using AdaptLab.Core.Prediction;

namespace AdaptLab.Tests;

/// <summary>What a code task runs of a reply: the fenced block a chat model wraps its code in, else the reply itself.</summary>
public class CodeExtractionTests
{
    [Theory]
    [InlineData("Here you go:\n```python\ndef f():\n    return 1\n```\nDone.", "def f():\n    return 1\n")]
    [InlineData("```py\nx = 1\n```", "x = 1\n")]
    [InlineData("Shell first:\n```bash\npip install x\n```\nthen:\n```Python\nimport x\n```", "import x\n")]
    [InlineData("```\nplain = True\n```", "plain = True\n")]
    [InlineData("```text\nnotes\n```\n```\ncode()\n```", "code()\n")]
    [InlineData("Cut short:\n```python\ndef f():\n    return", "def f():\n    return\n")]
    [InlineData("  ```python\r\n  y = 2\r\n  ```\r\n", "  y = 2\n")]
    public void The_fenced_python_block_is_the_program(string reply, string program) =>
        Assert.Equal(program, OutputParser.Parse(TaskKind.Code, reply));

    [Theory]
    [InlineData("    return sorted(xs)\n")]
    [InlineData("    s = '```'\n    return s\n")]
    [InlineData("```bash\nls\n```")]
    public void Without_a_python_or_unlabelled_fence_the_reply_is_kept_exactly(string reply) =>
        Assert.Equal(reply, OutputParser.Parse(TaskKind.Code, reply));
}
