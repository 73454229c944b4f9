using AdaptLab.Engine.Native;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests.Native;

/// <summary>OpenBLAS's products on libtorch's threads equal libtorch's own, however the work is split.</summary>
public sealed class TeamSgemmTests
{
    public TeamSgemmTests() =>
        Assert.True(TeamSgemm.IsAvailable, "OpenBLAS (Debian's libopenblas0-pthread) is missing, or ADAPTLAB_GEMM=libtorch is set: scripts/setup.sh installs it.");

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 7, 13, 5 },       // small enough to run on the calling thread alone
        { 129, 300, 64 },   // split by rows, unevenly
        { 9, 16411, 512 },  // B over TeamSgemm.RowSplitMaxB: split by columns, unevenly
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Both_products_equal_libtorchs(int m, int n, int k)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(seed: 5);
        var a = randn(m, k, generator: generator);
        var w = randn(n, k, generator: generator);
        var g = randn(m, n, generator: generator);

        AssertClose(nn.functional.linear(a, w), TeamSgemm.Linear(a, w), k);
        AssertClose(g.mm(w), TeamSgemm.Product(g, w), n);

        // The control: the same comparison tells a product of other operands apart.
        var other = TeamSgemm.Linear(a, w.neg())!;
        Assert.True((other - nn.functional.linear(a, w)).abs().max().item<float>() > 1e-2f);
    }

    [Fact]
    public void Operands_it_does_not_take_are_left_to_libtorch_and_mismatched_ones_refused()
    {
        using var scope = NewDisposeScope();
        var a = randn(8, 16);
        var w = randn(32, 16);
        Assert.Null(TeamSgemm.Linear(a.t().contiguous().t(), w));
        Assert.Null(TeamSgemm.Linear(a.to(ScalarType.BFloat16), w.to(ScalarType.BFloat16)));
        Assert.Null(TeamSgemm.Linear(a.unsqueeze(0), w));
        Assert.NotNull(TeamSgemm.Linear(a, w));
        Assert.Throws<ArgumentException>(() => TeamSgemm.Product(a, w));
        Assert.Throws<ArgumentException>(() => TeamSgemm.Linear(a, w, [2, 4, 33]));
        Assert.Equal([2L, 4, 32], TeamSgemm.Linear(a, w, [2, 4, 32])!.shape);
    }

    private static void AssertClose(Tensor expected, Tensor? actual, int terms)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.shape, actual.shape);
        // Sums of `terms` products in another order: float32 rounding grows with the square root of their count.
        var tolerance = 1e-5f * MathF.Sqrt(terms) * expected.abs().max().item<float>();
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= tolerance, $"The product differs from libtorch's by up to {difference} (tolerance {tolerance}).");
    }
}
