using AdaptLab.Core.Evidence;

namespace AdaptLab.Tests.Evidence;

/// <summary>The one p-value format: the console, the run and study reports, the gates and the recommendation all use it.</summary>
public class PValueFormatTests
{
    [Theory]
    [InlineData(0.0123, "0.0123")]
    [InlineData(0.012345, "0.0123")]
    [InlineData(0.05, "0.0500")] // four decimals always, so a column lines up
    [InlineData(0.002, "0.0020")]
    [InlineData(1.0, "1.0000")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00009, "< 0.0001")] // below four decimals: never "0.0000", which would read as certainty
    [InlineData(0.0, "< 0.0001")]
    [InlineData(double.NaN, "–")]
    public void Reads_four_decimals_and_says_less_than_below_them(double p, string expected) => Assert.Equal(expected, Format.PValue(p));
}
