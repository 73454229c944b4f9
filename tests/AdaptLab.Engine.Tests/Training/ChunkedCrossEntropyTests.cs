using AdaptLab.Abstractions;
using AdaptLab.Engine.Training;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests.Training;

/// <summary>The chunked output layer and loss give the plain cross-entropy's loss and every trained weight's gradient.</summary>
[Collection(TorchGeneratorCollection.Name)]
public sealed class ChunkedCrossEntropyTests
{
    private const long Ignore = -100;

    [Theory]
    [InlineData(false)] // LoRA with the embedding and output layer trained (tied in stories260K): the weight's gradient has two paths
    [InlineData(true)]  // full fine-tuning
    public void Chunks_of_the_target_positions_give_the_plain_cross_entropys_loss_and_gradients(bool full)
    {
        using var client = Stories260K.Client();
        var model = client.Generator.Model;
        manual_seed(3);
        var weights = full ? TrainableWeights.Full(model) : TrainableWeights.Lora(model, new LoraOptions(4, 8, 0, LoraOptions.AllProjections, ["embed_tokens", "lm_head"]));
        model.train();
        using (no_grad())
        {
            // B starts at zero, which leaves A without a gradient: move it off zero so every adapter weight gets one.
            foreach (var (_, b) in weights.Named.Where(n => n.Name.EndsWith("lora_B", StringComparison.Ordinal)))
            {
                b.copy_(randn_like(b) * 0.05);
            }
        }

        var generator = new Generator(11);
        using var tokens = randint(0, model.Config.VocabSize, [3, 24], generator: generator);
        using var targets = randint(0, model.Config.VocabSize, [3 * 24], generator: generator);
        targets.narrow(0, 0, 10).fill_(Ignore); // a prompt's positions have no target
        targets.narrow(0, 30, 5).fill_(Ignore);

        var plain = Gradients(weights, () =>
        {
            var loss = nn.functional.cross_entropy(model.forward(tokens, null).view(-1, model.Config.VocabSize), targets, ignore_index: Ignore);
            (loss * 0.5).backward();
            return loss.item<float>();
        });
        // 7 rows a chunk: the 57 target positions take 9 chunks, the last one short.
        var chunked = Gradients(weights, () =>
            ChunkedCrossEntropy.Compute(model.Hidden(tokens, null).view(-1, model.Config.Dim), targets, model.OutputWeight, Ignore, 0.5, chunkValues: 7 * model.Config.VocabSize).Loss);
        var halfScaled = Gradients(weights, () =>
            ChunkedCrossEntropy.Compute(model.Hidden(tokens, null).view(-1, model.Config.Dim), targets, model.OutputWeight, Ignore, 0.25, chunkValues: 7 * model.Config.VocabSize).Loss);

        Assert.Equal(plain.Loss, chunked.Loss, 1e-5);
        foreach (var (name, gradient) in plain.Gradients)
        {
            var scale = gradient.abs().max().item<float>();
            Assert.True(scale > 0, $"{name} got no gradient");
            Assert.True(chunked.Gradients[name].sub(gradient).abs().max().item<float>() < 1e-4 * Math.Max(1, scale), $"{name}'s gradient differs");
            // The control: half the scale is half the gradient, which the comparison above must tell apart.
            Assert.True(halfScaled.Gradients[name].sub(gradient).abs().max().item<float>() > 0.25 * scale, $"{name}: the comparison cannot see a halved gradient");
        }
    }

    [Fact]
    public void Without_a_target_position_the_loss_is_zero_over_no_tokens()
    {
        using var client = Stories260K.Client();
        var model = client.Generator.Model;
        using var noGrad = no_grad();
        using var tokens = zeros([1, 4], dtype: ScalarType.Int64);

        var (loss, count) = ChunkedCrossEntropy.Compute(model.Hidden(tokens, null).view(-1, model.Config.Dim), full([4], Ignore, dtype: ScalarType.Int64), model.OutputWeight, Ignore, null);

        Assert.Equal((0.0, 0L), (loss, count));
    }

    private static (double Loss, Dictionary<string, Tensor> Gradients) Gradients(TrainableWeights weights, Func<double> step)
    {
        foreach (var (_, parameter) in weights.Named)
        {
            parameter.grad?.zero_();
        }

        var loss = step();
        return (loss, weights.Named.Where(n => n.Parameter.grad is not null).ToDictionary(n => n.Name, n => n.Parameter.grad!.clone()));
    }
}
