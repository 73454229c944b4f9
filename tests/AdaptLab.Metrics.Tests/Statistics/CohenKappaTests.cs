using AdaptLab.Metrics.Statistics;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Statistics;

/// <summary>Cohen's kappa as scikit-learn's cohen_kappa_score, its interval as statsmodels' cohens_kappa.</summary>
public class CohenKappaTests
{
    private const string Script = """
        import json, sys
        import numpy as np
        from sklearn.metrics import cohen_kappa_score
        from sklearn.metrics import confusion_matrix
        from statsmodels.stats.inter_rater import cohens_kappa
        out = []
        for case in json.load(sys.stdin):
            a, b = case["a"], case["b"]
            labels = sorted(set(a) | set(b))
            r = cohens_kappa(confusion_matrix(a, b, labels=labels))
            out.append({"kappa": cohen_kappa_score(a, b), "low": r.kappa_low, "upp": r.kappa_upp})
        print(json.dumps(out))
        """;

    public static readonly int[][][] Cases =
    [
        [[1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 3, 3, 4, 2, 5, 1, 2, 4], [1, 2, 3, 4, 4, 5, 4, 3, 1, 1, 3, 2, 4, 2, 5, 2, 2, 5]],
        [[0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1], [0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1]],
        [[2, 2, 2, 5, 5, 5, 2, 5, 2, 5, 5, 2], [5, 5, 2, 2, 5, 2, 5, 2, 2, 5, 2, 5]], // worse than chance: a negative kappa
    ];

    [Fact]
    public void Kappa_and_its_interval_match_scikit_learn_and_statsmodels()
    {
        var expected = PythonReference.Run(Script, Cases.Select(c => new { a = c[0], b = c[1] }).ToArray());

        for (var i = 0; i < Cases.Length; i++)
        {
            var estimate = CohenKappa.Estimate(Cases[i][0], Cases[i][1]);
            Assert.Equal(expected[i].GetProperty("kappa").GetDouble(), estimate.Kappa, 12);
            Assert.Equal(expected[i].GetProperty("low").GetDouble(), estimate.Lower, 12);
            Assert.Equal(expected[i].GetProperty("upp").GetDouble(), estimate.Upper, 12);
        }
    }

    [Fact]
    public void Perfect_agreement_is_one_and_a_single_shared_rating_is_undefined()
    {
        Assert.Equal(1, CohenKappa.Estimate([1, 2, 3, 1], [1, 2, 3, 1]).Kappa, 12);
        Assert.True(double.IsNaN(CohenKappa.Estimate([4, 4, 4], [4, 4, 4]).Kappa));
        Assert.Throws<ArgumentException>(() => CohenKappa.Estimate([1, 2], [1]));
    }
}
