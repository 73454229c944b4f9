using AdaptLab.Metrics.Evaluation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AdaptLab.Metrics.Tests.Evaluation;

public class MetricEvaluatorTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Where is my new card?")];

    [Fact]
    public async Task Scores_the_response_text_against_the_references()
    {
        var evaluator = new MetricEvaluator(MetricCatalog.Create("accuracy"));

        var result = await evaluator.EvaluateAsync(
            Question, Response(" card_arrival\n"), additionalContext: [new MetricReferenceContext("card_arrival")]);

        var metric = result.Get<NumericMetric>("accuracy");
        Assert.Equal(["accuracy"], evaluator.EvaluationMetricNames);
        Assert.Equal(1.0, metric.Value);
        Assert.Null(metric.Reason);
        Assert.False(metric.Interpretation!.Failed);
        Assert.Null(metric.Diagnostics);
        Assert.IsType<MetricReferenceContext>(Assert.Single(metric.Context!).Value);
    }

    [Fact]
    public async Task A_failed_item_carries_the_metrics_reason_as_a_diagnostic()
    {
        var evaluator = new MetricEvaluator(MetricCatalog.Create("field_f1"));

        var result = await evaluator.EvaluateAsync(
            Question, Response("""{"people": "5", "time": "7pm"}"""),
            additionalContext: [new MetricReferenceContext("""{"people": "4", "time": "7pm"}""")]);

        var metric = result.Get<NumericMetric>("field_f1");
        Assert.Equal(0.5, metric.Value);
        Assert.Equal("field 'people': expected \"4\", got \"5\"", metric.Reason);
        var diagnostic = Assert.Single(metric.Diagnostics!);
        Assert.Equal(EvaluationDiagnosticSeverity.Informational, diagnostic.Severity);
        Assert.Equal(metric.Reason, diagnostic.Message);
        Assert.Null(metric.Interpretation);
    }

    [Fact]
    public async Task Binary_metrics_interpret_a_miss_as_failed()
    {
        var evaluator = new MetricEvaluator(MetricCatalog.Create("exact_match"));

        var result = await evaluator.EvaluateAsync(
            Question, Response("Louvre"), additionalContext: [new MetricReferenceContext(["the Eiffel Tower", "Eiffel Tower"])]);

        var metric = result.Get<NumericMetric>("exact_match");
        Assert.Equal(0.0, metric.Value);
        Assert.True(metric.Interpretation!.Failed);
        Assert.Equal(EvaluationRating.Unacceptable, metric.Interpretation.Rating);
    }

    [Fact]
    public async Task Missing_references_are_an_error_diagnostic_not_an_exception()
    {
        var evaluator = new MetricEvaluator(MetricCatalog.Create("accuracy"));

        var result = await evaluator.EvaluateAsync(Question, Response("card_arrival"));

        var metric = result.Get<NumericMetric>("accuracy");
        Assert.Null(metric.Value);
        Assert.True(metric.ContainsDiagnostics(d => d.Severity == EvaluationDiagnosticSeverity.Error));
    }

    [Fact]
    public async Task Composes_with_other_evaluators()
    {
        var composite = new CompositeEvaluator(
            new MetricEvaluator(MetricCatalog.Create("json_valid")), new MetricEvaluator(MetricCatalog.Create("field_recall")));

        var result = await composite.EvaluateAsync(
            Question, Response("""{"date": "friday"}"""),
            additionalContext: [new MetricReferenceContext("""{"date": "friday", "time": "8pm"}""")]);

        Assert.Equal(1.0, result.Get<NumericMetric>("json_valid").Value);
        Assert.Equal(0.5, result.Get<NumericMetric>("field_recall").Value);
    }

    [Fact]
    public void A_reference_context_needs_a_reference()
    {
        Assert.Throws<ArgumentException>(() => new MetricReferenceContext(Array.Empty<string>()));
    }

    private static ChatResponse Response(string text) => new(new ChatMessage(ChatRole.Assistant, text));
}
