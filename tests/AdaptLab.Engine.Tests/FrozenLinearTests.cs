using AdaptLab.Engine.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests;

/// <summary>A frozen layer's product and its input's gradient on the team product equal libtorch's linear.</summary>
public sealed class FrozenLinearTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Output_and_input_gradient_equal_libtorchs(bool withBias, bool transposedInput)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(seed: 3);
        var weight = randn(96, 48, generator: generator);
        var bias = withBias ? randn(96, generator: generator) : null;
        var values = transposedInput ? randn(2, 48, 5, generator: generator).transpose(1, 2) : randn(2, 5, 48, generator: generator);
        var upstream = randn(2, 5, 96, generator: generator);

        using var two = 2.0.ToScalar();
        var x = values.detach().requires_grad_();
        Assert.True(FrozenLinear.Applies(x, weight, bias), "The frozen layer does not take the team product here.");
        // Changed in place, as libtorch's own output may be: a view of the function's result would refuse that.
        var y = FrozenLinear.Apply(x, weight, bias).mul_(two);
        (y * upstream).sum().backward();

        var reference = values.detach().requires_grad_();
        var expected = nn.functional.linear(reference, weight, bias).mul_(two);
        (expected * upstream).sum().backward();

        Assert.Equal(expected.shape, y.shape);
        Assert.True((expected - y).abs().max().item<float>() < 1e-4f, "The outputs differ.");
        Assert.True((reference.grad! - x.grad!).abs().max().item<float>() < 1e-4f, "The input gradients differ.");
        // The control: a gradient through another weight is told apart.
        Assert.True((reference.grad! - upstream.matmul(weight.neg())).abs().max().item<float>() > 1e-2f);
    }

    [Fact]
    public void An_input_without_a_gradient_gets_the_product_alone()
    {
        using var scope = NewDisposeScope();
        var weight = randn(32, 16);
        var x = randn(3, 4, 16);
        Assert.False(FrozenLinear.Applies(x, weight, null));

        var y = FrozenLinear.Apply(x, weight, null);

        Assert.False(y.requires_grad);
        Assert.True((nn.functional.linear(x, weight) - y).abs().max().item<float>() < 1e-4f);
    }

    [Fact]
    public void A_weight_that_trains_keeps_libtorchs_linear_and_gets_its_gradient()
    {
        using var scope = NewDisposeScope();
        var weight = randn(16, 8).requires_grad_();
        var x = randn(4, 8).requires_grad_();
        Assert.False(FrozenLinear.Applies(x, weight, null));
        using (no_grad())
        {
            Assert.False(FrozenLinear.Applies(x, weight.detach(), null));
        }

        FrozenLinear.Apply(x, weight, null).sum().backward();

        Assert.NotNull(weight.grad);
        // sum(0L): a literal 0 would pick the overload that takes a ScalarType (Byte).
        var difference = (weight.grad - x.detach().sum(0L).expand(16, 8)).abs().max().item<float>();
        Assert.True(difference < 1e-5f, $"The weight's gradient differs by up to {difference}.");
    }
}
