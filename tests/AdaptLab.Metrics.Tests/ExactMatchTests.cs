namespace AdaptLab.Metrics.Tests;

public class ExactMatchTests
{
    [Fact]
    public void Accuracy_trims_but_keeps_case()
    {
        var metric = MetricCatalog.Create("accuracy");
        var value = metric.Compute([
            MetricItem.Single(" card_arrival\n", "card_arrival"),
            MetricItem.Single("Card_Arrival", "card_arrival"),
        ]);

        Assert.Equal([1.0, 0.0], value.PerItem!);
        Assert.Equal(0.5, value.Value);
        Assert.Null(value.Reasons![0]);
        Assert.Contains("card_arrival", value.Reasons[1]);
    }

    [Fact]
    public void Exact_match_accepts_any_reference_after_normalisation()
    {
        var metric = MetricCatalog.Create("exact_match");
        var value = metric.Compute([new MetricItem("  The  Eiffel tower", ["Louvre", "the eiffel tower"])]);

        Assert.Equal(1.0, value.Value);
    }

    [Fact]
    public void Unknown_metric_names_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => MetricCatalog.Create("acuracy"));
        Assert.Contains("accuracy", error.Message);
    }
}
