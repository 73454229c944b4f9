using AdaptLab.Engine.Llama;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests;

/// <summary>The split products decoding uses must equal the single product they replace.</summary>
public sealed class RowBlockProductTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(5, 2)]
    [InlineData(8, 4)]
    public void Products_split_into_row_blocks_equal_the_single_product(int rows, int blocks)
    {
        using var scope = NewDisposeScope();
        using var noGrad = inference_mode();
        var generator = new Generator(seed: 7);
        var x = randn(rows, 48, generator: generator);
        var weight = randn(96, 48, generator: generator);
        var bias = randn(96, generator: generator);
        var expected = nn.functional.linear(x, weight, bias);

        var actual = RowBlockProduct.Linear(x, weight, bias, blocks);

        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference < 1e-5f, $"The split product differs by up to {difference}.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Accumulating_adds_the_product_to_the_rows_in_place(int blocks)
    {
        using var scope = NewDisposeScope();
        using var noGrad = inference_mode();
        var generator = new Generator(seed: 11);
        var x = randn(1, 48, generator: generator);
        var weight = randn(96, 48, generator: generator);
        var residual = randn(1, 96, generator: generator);
        var expected = residual + nn.functional.linear(x, weight);

        RowBlockProduct.AddTo(residual, x, weight, weight.t(), blocks);

        var difference = (expected - residual).abs().max().item<float>();
        Assert.True(difference < 1e-5f, $"The accumulated rows differ by up to {difference}.");
    }
}
