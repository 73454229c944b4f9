namespace AdaptLab.Metrics.Code;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on
/// Code", fig. 3): 1 - C(n-c, k) / C(n, k), the chance that k samples drawn without replacement from
/// n, of which c are correct, include a correct one.
/// </summary>
public static class PassAtKEstimator
{
    /// <param name="samples">n, the samples generated for the problem.</param>
    /// <param name="correct">c, how many of them passed.</param>
    /// <param name="k">The number of samples drawn, 1 &lt;= k &lt;= n.</param>
    /// <exception cref="ArgumentException">The counts are inconsistent.</exception>
    public static double Estimate(int samples, int correct, int k)
    {
        if (samples < 1 || correct < 0 || correct > samples)
        {
            throw new ArgumentException($"pass@k needs 0 <= correct <= samples and samples >= 1, got {correct} of {samples}");
        }

        if (k < 1 || k > samples)
        {
            throw new ArgumentException($"pass@k needs 1 <= k <= samples, got k={k} with {samples} samples");
        }

        if (samples - correct < k)
        {
            return 1.0;
        }

        // C(n-c, k) / C(n, k) = prod_{i=n-c+1..n} (1 - k/i): no factorials, so no overflow, and each
        // factor is in [0, 1), the same product the reference implementation takes.
        var allDrawsFail = 1.0;
        for (var i = samples - correct + 1; i <= samples; i++)
        {
            allDrawsFail *= 1.0 - ((double)k / i);
        }

        return 1.0 - allDrawsFail;
    }
}
