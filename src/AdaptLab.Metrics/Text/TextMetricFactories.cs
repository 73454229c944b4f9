namespace AdaptLab.Metrics.Text;

/// <summary>Builds the text metrics from task-file options, rejecting options a metric does not have.</summary>
internal static class TextMetricFactories
{
    public static IMetric Bleu(MetricOptions o)
    {
        RequireKnown(o, "bleu", "tokenize", "smooth", "smooth_value", "lowercase", "effective_order", "max_ngram_order");
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
        RequireKnown(o, name, "char_order", "word_order", "beta", "lowercase", "whitespace", "eps_smoothing");
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
        RequireKnown(o, "ter", "normalized", "no_punct", "asian_support", "case_sensitive");
        return new TerMetric(new TerOptions(
            o.GetBool("normalized", false),
            o.GetBool("no_punct", false),
            o.GetBool("asian_support", false),
            o.GetBool("case_sensitive", false)));
    }

    public static IMetric Rouge(MetricOptions o, string rougeType)
    {
        RequireKnown(o, rougeType, "stemmer");
        return new RougeMetric(rougeType, o.GetBool("stemmer", false));
    }

    public static IMetric WithoutOptions(MetricOptions o, string name, IMetric metric)
    {
        RequireKnown(o, name);
        return metric;
    }

    private static void RequireKnown(MetricOptions o, string metric, params string[] known)
    {
        foreach (var key in o.Values.Keys)
        {
            if (Array.IndexOf(known, key) < 0)
            {
                throw new ArgumentException(known.Length == 0
                    ? $"{metric} takes no options, got '{key}'"
                    : $"unknown option '{key}' for {metric}; known options: {string.Join(", ", known)}");
            }
        }
    }
}
