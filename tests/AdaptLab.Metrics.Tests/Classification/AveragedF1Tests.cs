using AdaptLab.Metrics.Classification;

namespace AdaptLab.Metrics.Tests.Classification;

public class AveragedF1Tests
{
    [Fact]
    public void Gives_a_reason_for_each_misclassified_item_and_no_per_item_scores()
    {
        var value = new AveragedF1(F1Average.Macro).Compute([
            MetricItem.Single(" refund ", "refund"),
            MetricItem.Single("refund", "top_up"),
        ]);

        Assert.Null(value.PerItem);
        Assert.Null(value.Reasons![0]);
        Assert.Equal("expected \"top_up\", got \"refund\"", value.Reasons[1]);

        // refund: P = 1/2, R = 1, F1 = 2/3; top_up: F1 = 0.
        Assert.Equal(1.0 / 3, value.Value, 1e-15);
    }

    [Fact]
    public void Is_nan_on_no_items()
    {
        Assert.True(double.IsNaN(MetricCatalog.Create("weighted_f1").Compute([]).Value));
    }
}
