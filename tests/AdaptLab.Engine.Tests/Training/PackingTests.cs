using AdaptLab.Engine.Training;
using AdaptLab.Tests.Support;
using Microsoft.Extensions.AI;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests.Training;

/// <summary>Packed rows compute for each example what it computes alone: the same loss as one padded row per example.</summary>
public sealed class PackingTests
{
    [Fact]
    public void A_packed_batch_has_the_loss_of_its_examples_alone_and_an_unmasked_one_does_not()
    {
        using var client = Stories260K.Client();
        var model = client.Generator.Model;
        var rows = File.ReadLines(RepoPaths.Path("examples", "pet-json", "train.jsonl")).Take(6)
            .Concat(File.ReadLines(RepoPaths.Path("examples", "pet-names", "train.jsonl")).Take(6))
            .Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!)
            .Select(n => n["json"] is { } json
                ? client.EncodeForTraining([new ChatMessage(ChatRole.User, $"Text: {(string)n["text"]!}\nJSON:")], (string)json!)
                : client.EncodeForTraining([new ChatMessage(ChatRole.User, $"{(string)n["fact"]!} {(string)n["question"]!}")], (string)n["answer"]!))
            .ToList();
        Assert.True(rows.Select(r => r.Tokens.Count).Distinct().Count() > 3, "the examples should differ in length, so padding and packing differ");

        using var noGrad = no_grad();
        var (padded, paddedTokens) = SftTrainer.Loss(model, rows, pack: false, gradientScale: null);
        var (packed, packedTokens) = SftTrainer.Loss(model, rows, pack: true, gradientScale: null);

        Assert.Equal(paddedTokens, packedTokens);
        Assert.Equal(padded, packed, 1e-5);

        // The second example after the first in one row: its logits are its own with their segments told apart, and
        // differ when the row is taken as one sequence (the control: the mask and the positions are what make them equal).
        var (first, second) = (rows[0].Tokens, rows[6].Tokens);
        using var row = tensor(first.Concat(second).Select(t => (long)t).ToArray(), [1, first.Count + second.Count]);
        using var segments = tensor(first.Select(_ => 0L).Concat(second.Select(_ => 1L)).ToArray(), [1, first.Count + second.Count]);
        using var alone = model.forward(tensor(second.Select(t => (long)t).ToArray(), [1, second.Count]), null);
        using var apart = model.ForwardPacked(row, segments).narrow(1, first.Count, second.Count);
        using var together = model.ForwardPacked(row, zeros_like(segments)).narrow(1, first.Count, second.Count);
        Assert.True(apart.sub(alone).abs().max().item<float>() < 1e-4, "a packed sequence's logits should be its own");
        Assert.True(together.sub(alone).abs().max().item<float>() > 1e-2, "seeing the sequence before it should change them");
    }
}
