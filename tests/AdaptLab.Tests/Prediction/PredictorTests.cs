using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Prediction;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using AdaptLab.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Prediction;

/// <summary>The one predictor: a prepared call through the model pipeline becomes the record the store keeps, and its reply the answer the metrics read.</summary>
public sealed class PredictorTests
{
    private static readonly string[] Labels = ["refund", "refund_not_showing", "card_lost"];

    private static readonly VariantSpec Variant = new(
        "zero-shot", "p.liquid", "fake", new ModelSpec("openai-compatible:fake", null, null, InputPricePer1M: 1, OutputPricePer1M: 2), null,
        new GenerationSettings(0, null, 8, null, []));

    private static readonly PreparedCall Call = new([new ChatMessage(ChatRole.User, "Which intent?")], Context: """{"shots":["tr-1"]}""");

    private static RunConfig Config(TaskKind kind) => new(
        kind, [new RunMetric("accuracy", new Dictionary<string, string>())], new Dictionary<string, double>(), null, null, null, Labels);

    private static IChatClient Model(VirtualClock clock, Func<string> reply) => ModelPipeline.Build(
        new ScriptedChatClient(clock, (_, _) =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(250));
            return Task.FromResult(reply());
        }),
        new ModelPipelineOptions("test") { Time = clock });

    [Fact]
    public async Task A_reply_naming_one_label_is_matched_to_it_and_the_record_keeps_the_reply_as_given()
    {
        using var model = Model(new VirtualClock(), () => "I would say \"refund_not_showing\".");
        var predictor = new Predictor(model, Variant, Config(TaskKind.Classification));

        var prediction = await predictor.PredictAsync(Call, 7, CancellationToken.None);

        Assert.Equal(new PredictionRecord("zero-shot", 7, "I would say \"refund_not_showing\".", null, 250, null, null, null, false, Call.Context), prediction);
        Assert.Equal("refund_not_showing", predictor.Answer(prediction));
    }

    [Fact]
    public async Task A_reply_naming_no_label_or_no_json_is_read_as_its_text_which_matches_nothing()
    {
        using var model = Model(new VirtualClock(), () => "Hard to say.\nMaybe refund, maybe card_lost.");
        var classification = new Predictor(model, Variant, Config(TaskKind.Classification));
        var extraction = new Predictor(model, Variant, Config(TaskKind.Extraction));

        var unlabelled = await classification.PredictAsync(Call, 0, CancellationToken.None);
        var noJson = await extraction.PredictAsync(Call, 0, CancellationToken.None);

        // Two labels in the reply: no guess, the first line stands, and it is no label.
        Assert.Equal("Hard to say.", classification.Answer(unlabelled));
        Assert.DoesNotContain(classification.Answer(unlabelled), Labels);
        Assert.Equal("Hard to say.\nMaybe refund, maybe card_lost.", extraction.Answer(noJson));
        Assert.Equal("""{"a": 1}""", extraction.Answer(noJson with { Output = """Sure: {"a": 1} there.""" }));
    }

    [Fact]
    public async Task A_model_error_becomes_an_error_record_with_the_failure_latency_and_no_answer()
    {
        var clock = new VirtualClock();
        using var model = Model(clock, () => throw new HttpRequestException("the endpoint is down"));
        var predictor = new Predictor(model, Variant, Config(TaskKind.Classification));

        var prediction = await predictor.PredictAsync(Call, 3, CancellationToken.None);

        Assert.Equal(new PredictionRecord("zero-shot", 3, null, "HttpRequestException: the endpoint is down", 250, null, null, null, false, Call.Context), prediction);
        Assert.Null(predictor.Answer(prediction));
    }

    [Fact]
    public async Task A_call_the_caller_cancels_is_no_error_record_but_a_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        using var model = Model(new VirtualClock(), () =>
        {
            cancel.Cancel();
            throw new OperationCanceledException(cancel.Token);
        });
        var predictor = new Predictor(model, Variant, Config(TaskKind.Classification));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => predictor.PredictAsync(Call, 0, cancel.Token));
    }
}
