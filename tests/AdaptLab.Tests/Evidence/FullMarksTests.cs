using AdaptLab.Core.Evidence;

namespace AdaptLab.Tests.Evidence;

/// <summary>The failing-item rule the ladder's diagnosis, its targets check and <c>refine</c> share.</summary>
public class FullMarksTests
{
    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(100.0, 100.0)]
    [InlineData(1 - 1e-12, 1.0)] // a sum of floating-point parts that should be 1
    [InlineData(100 - 1e-10, 100.0)]
    public void Full_marks_pass(double score, double fullScale) => Assert.True(FullMarks.Passes(score, fullScale));

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.999999, 1.0)] // short by 1e-6: a real miss, not rounding
    [InlineData(99.5, 100.0)]
    [InlineData(1.0, 100.0)] // a BLEU of 1 is not full marks
    public void Anything_short_of_full_marks_fails(double score, double fullScale) => Assert.False(FullMarks.Passes(score, fullScale));

    [Fact]
    public void An_item_without_a_score_fails() => Assert.False(FullMarks.Passes(null, 1.0));
}
