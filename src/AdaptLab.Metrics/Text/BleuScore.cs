namespace AdaptLab.Metrics.Text;

/// <summary>BLEU from its sufficient statistics, as sacrebleu's <c>BLEU.compute_bleu</c>.</summary>
public static class BleuScore
{
    /// <summary>The log sacrebleu uses for a zero precision (its <c>my_log</c>).</summary>
    private const double LogOfZero = -9999999999;

    /// <summary>
    /// BLEU on sacrebleu's 0-100 scale. <paramref name="correct"/> and <paramref name="total"/> hold
    /// the matched and hypothesis n-gram counts for orders 1..N.
    /// </summary>
    public static double Compute(
        ReadOnlySpan<double> correct,
        ReadOnlySpan<double> total,
        double sysLen,
        double refLen,
        BleuSmoothing smooth,
        double? smoothValue = null,
        bool effectiveOrder = false)
    {
        if (correct.Length != total.Length || correct.Length == 0)
        {
            throw new ArgumentException("correct and total must hold the same number (at least one) of n-gram orders");
        }

        var k = smoothValue ?? (smooth == BleuSmoothing.Floor ? 0.1 : 1.0);
        var bp = sysLen < refLen ? (sysLen > 0 ? Math.Exp(1 - (refLen / sysLen)) : 0.0) : 1.0;

        // sacrebleu returns 0 before smoothing when nothing matched at any order (its issue #141).
        var anyMatch = false;
        foreach (var c in correct)
        {
            anyMatch |= c != 0;
        }

        if (!anyMatch)
        {
            return 0.0;
        }

        var order = correct.Length;
        Span<double> precisions = order <= 16 ? stackalloc double[order] : new double[order];
        precisions.Clear();
        var smoothMteval = 1.0;
        var effOrder = order;
        for (var n = 1; n <= order; n++)
        {
            var c = correct[n - 1];
            var t = total[n - 1];
            if (smooth == BleuSmoothing.AddK && n > 1)
            {
                c += k;
                t += k;
            }

            if (t == 0)
            {
                break;
            }

            if (effectiveOrder)
            {
                effOrder = n;
            }

            if (c == 0)
            {
                if (smooth == BleuSmoothing.Exp)
                {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * t);
                }
                else if (smooth == BleuSmoothing.Floor)
                {
                    precisions[n - 1] = 100.0 * k / t;
                }
            }
            else
            {
                precisions[n - 1] = 100.0 * c / t;
            }
        }

        var logSum = 0.0;
        for (var n = 0; n < effOrder; n++)
        {
            logSum += precisions[n] == 0.0 ? LogOfZero : Math.Log(precisions[n]);
        }

        return bp * Math.Exp(logSum / effOrder);
    }
}
