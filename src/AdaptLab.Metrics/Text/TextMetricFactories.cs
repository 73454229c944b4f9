namespace AdaptLab.Metrics.Text;

/// <summary>Builds the sacrebleu-style text metrics from their task-file options (the catalog has already rejected undeclared ones).</summary>
internal static class TextMetricFactories
{
    public static IMetric Bleu(MetricOptions o)
    {
        double? smoothValue = o.Values.ContainsKey("smooth_value") ? o.GetDouble("smooth_value", 0) : null;
        return new BleuMetric(new BleuOptions(
            BleuOptions.ParseTokenizer(o.GetString("tokenize", "13a")),
            BleuOptions.ParseSmoothing(o.GetString("smooth", "exp")),
            smoothValue,
            o.GetBool("lowercase", false),
            o.GetBool("effective_order", false),
            o.GetInt("max_ngram_order", 4)));
    }

    public static IMetric Chrf(MetricOptions o, string name, int defaultWordOrder)
    {
        return new ChrfMetric(
            new ChrfOptions(
                o.GetInt("char_order", 6),
                o.GetInt("word_order", defaultWordOrder),
                o.GetDouble("beta", 2),
                o.GetBool("lowercase", false),
                o.GetBool("whitespace", false),
                o.GetBool("eps_smoothing", false)),
            name);
    }

    public static IMetric Ter(MetricOptions o)
    {
        return new TerMetric(new TerOptions(
            o.GetBool("normalized", false),
            o.GetBool("no_punct", false),
            o.GetBool("asian_support", false),
            o.GetBool("case_sensitive", false)));
    }
}
