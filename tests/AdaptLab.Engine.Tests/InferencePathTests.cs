using AdaptLab.Engine.Llama;
using AdaptLab.Engine.LlamaC;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests;

/// <summary>
/// Without autograd the model runs a fused inference path (one q/k/v product, one gate/up product, in-place
/// updates); with autograd it runs the separate layers. The checkpoint tests compare the inference path with
/// references; these tie the autograd path to it and check it stays trainable.
/// </summary>
public sealed class InferencePathTests : IDisposable
{
    private static readonly long[] Tokens = [1, 403, 407, 261, 378, 430, 271, 261, 372, 269, 394, 271, 282, 290, 261, 289, 268];
    private readonly LlamaModel model;

    public InferencePathTests()
    {
        Stories260K.UseTestThreads();
        model = LlamaCCheckpoint.Load(Stories260K.Checkpoint);
    }

    public void Dispose() => model.Dispose();

    [Fact]
    public void Autograd_and_inference_paths_give_the_same_logits_with_and_without_the_cache()
    {
        using var scope = NewDisposeScope();
        var tokens = tensor(Tokens, [1, Tokens.Length]);
        var trained = model.forward(tokens, null);
        Assert.True(trained.requires_grad);

        using var noGrad = no_grad();
        AssertClose(trained, model.forward(tokens, null));
        using var cache = model.NewCache([0]);
        AssertClose(trained.narrow(1, 0, 9), model.forward(tokens.narrow(1, 0, 9), cache));
        for (var position = 9; position < Tokens.Length; position++)
        {
            AssertClose(trained.select(1, position), model.NextTokenLogits(tokens.narrow(1, position, 1), cache));
        }
    }

    [Theory]
    [InlineData(5)] // smaller than the prompt: the first allocation fits the prompt, then the cache grows
    [InlineData(17)] // exactly the slots the sequence fills
    public void A_cache_sized_for_an_expected_length_gives_the_same_logits(int expectedLength)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = tensor(Tokens, [1, Tokens.Length]);
        var whole = model.forward(tokens, null);
        using var cache = model.NewCache([0], expectedLength);
        AssertClose(whole.narrow(1, 0, 9), model.forward(tokens.narrow(1, 0, 9), cache));
        for (var position = 9; position < Tokens.Length; position++)
        {
            AssertClose(whole.select(1, position), model.NextTokenLogits(tokens.narrow(1, position, 1), cache));
        }
    }

    [Fact]
    public void Every_parameter_gets_a_gradient_including_the_fused_projections()
    {
        using var scope = NewDisposeScope();
        var tokens = tensor(Tokens, [1, Tokens.Length]);
        var logits = model.forward(tokens.narrow(1, 0, Tokens.Length - 1), null);
        var loss = nn.functional.cross_entropy(logits.view(-1, model.Config.VocabSize), tokens.narrow(1, 1, Tokens.Length - 1).flatten());
        loss.backward();

        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(parameter.grad is { } grad && grad.abs().sum().item<float>() > 0, $"{name} got no gradient.");
        }
    }

    [Fact]
    public void The_inference_path_reads_parameters_updated_in_place()
    {
        using var scope = NewDisposeScope();
        var tokens = tensor(Tokens, [1, Tokens.Length]);
        Tensor before;
        using (no_grad())
        {
            before = model.forward(tokens, null);
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.StartsWith("layers.1.", StringComparison.Ordinal)))
            {
                parameter.mul_(0.5); // as an optimizer step or load_state_dict would write them
            }
        }

        var trained = model.forward(tokens, null);
        using var noGrad = no_grad();
        var inferred = model.forward(tokens, null);
        AssertClose(trained, inferred);
        Assert.True((inferred - before).abs().max().item<float>() > 1e-2f, "Halving layer 1's weights changed nothing.");
    }

    [Fact]
    public void A_replaced_projection_weight_is_used_by_both_paths()
    {
        using var scope = NewDisposeScope();
        var tokens = tensor(Tokens, [1, Tokens.Length]);
        var wk = (Linear)model.named_modules().Single(m => m.name == "layers.2.attention.wk").module;
        Tensor before;
        using (no_grad())
        {
            before = model.forward(tokens, null);
            wk.weight = new Parameter(wk.weight.flip(0).contiguous()); // no longer a view of the fused q/k/v weight
        }

        var trained = model.forward(tokens, null);
        using var noGrad = no_grad();
        var inferred = model.forward(tokens, null);
        AssertClose(trained, inferred);
        Assert.True((inferred - before).abs().max().item<float>() > 1e-3f, "The replaced weight was not used.");
    }

    [Fact]
    public void In_bf16_the_training_attention_matches_the_inference_paths_and_reads_no_later_token()
    {
        using var scope = NewDisposeScope();
        model.ConvertTo(ScalarType.BFloat16);
        var tokens = tensor(Tokens, [1, Tokens.Length]);
        var changed = tokens.clone();
        changed[0, 9] = tensor(300L);
        // With autograd recording, bf16 causal attention is the masked softmax product with the query heads folded (GQA: 8 heads, 4 key/value heads).
        var trained = model.forward(tokens, null).to(ScalarType.Float32);
        var trainedChanged = model.forward(changed, null).to(ScalarType.Float32);
        Assert.True(trained.requires_grad);

        using var noGrad = no_grad();
        var inferred = model.forward(tokens, null).to(ScalarType.Float32);
        // bf16 keeps 8 bits of mantissa, and the paths round differently (fused products, another attention kernel): measured 3.3%.
        var tolerance = 0.05f * inferred.abs().max().item<float>();
        var difference = (trained - inferred).abs().max().item<float>();
        Assert.True(difference < tolerance, $"bf16 logits differ by up to {difference} (tolerance {tolerance}).");

        // The control: another token at position 9 changes every later position's logits past the tolerance, and no earlier one.
        Assert.Equal(0f, (trainedChanged.narrow(1, 0, 9) - trained.narrow(1, 0, 9)).abs().max().item<float>());
        for (var position = 9; position < Tokens.Length; position++)
        {
            var moved = (trainedChanged.select(1, position) - trained.select(1, position)).abs().max().item<float>();
            Assert.True(moved > tolerance, $"position {position}: changing token 9 moved its logits by only {moved}");
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference < 1e-4f, $"Logits differ by up to {difference}.");
    }
}
