namespace AdaptLab.Metrics.Text;

/// <summary>chrF from its statistics, as sacrebleu's <c>CHRF._compute_f_score</c>.</summary>
internal static class ChrfScore
{
    private const double Eps = 1e-16;

    /// <summary>The 0-100 score of [hyp, ref, match] triples, one per order (characters, then words).</summary>
    public static double Compute(ReadOnlySpan<double> stats, double beta, bool epsSmoothing)
    {
        var order = stats.Length / 3;
        var factor = beta * beta;
        var score = 0.0;
        var avgPrec = 0.0;
        var avgRec = 0.0;
        var effectiveOrder = 0;
        for (var i = 0; i < order; i++)
        {
            var nHyp = stats[3 * i];
            var nRef = stats[(3 * i) + 1];
            var nMatch = stats[(3 * i) + 2];
            var prec = nHyp > 0 ? nMatch / nHyp : Eps;
            var rec = nRef > 0 ? nMatch / nRef : Eps;
            var denom = (factor * prec) + rec;
            score += denom > 0 ? (1 + factor) * prec * rec / denom : Eps;
            if (nHyp > 0 && nRef > 0)
            {
                avgPrec += prec;
                avgRec += rec;
                effectiveOrder++;
            }
        }

        if (epsSmoothing)
        {
            return 100 * score / order;
        }

        if (effectiveOrder == 0)
        {
            return 0.0;
        }

        avgPrec /= effectiveOrder;
        avgRec /= effectiveOrder;
        if (avgPrec + avgRec == 0)
        {
            return 0.0;
        }

        return 100 * ((1 + factor) * avgPrec * avgRec / ((factor * avgPrec) + avgRec));
    }
}
