namespace AdaptLab.Metrics.Text;

/// <summary>sacrebleu's <c>smooth_method</c>.</summary>
public enum BleuSmoothing
{
    /// <summary><c>none</c>: a zero precision makes the score 0.</summary>
    None,

    /// <summary><c>floor</c>: a zero match count becomes the smoothing value (default 0.1).</summary>
    Floor,

    /// <summary><c>add-k</c>: adds the smoothing value (default 1) to counts of orders 2 and up.</summary>
    AddK,

    /// <summary><c>exp</c>: NIST geometric smoothing, sacrebleu's default.</summary>
    Exp,
}

/// <summary>
/// sacrebleu 2.6.0 BLEU settings, with its defaults for corpus BLEU.
/// </summary>
/// <param name="Tokenize">sacrebleu's <c>tokenize</c>.</param>
/// <param name="Smooth">sacrebleu's <c>smooth_method</c>.</param>
/// <param name="SmoothValue">For floor and add-k; null takes sacrebleu's default (0.1, 1).</param>
/// <param name="Lowercase">Lowercase both sides first (Python's <c>str.lower</c>).</param>
/// <param name="EffectiveOrder">Average only over the n-gram orders the hypothesis has.</param>
/// <param name="MaxNgramOrder">The largest n-gram order, 4 in standard BLEU.</param>
public sealed record BleuOptions(
    BleuTokenizer Tokenize = BleuTokenizer.Mteval13a,
    BleuSmoothing Smooth = BleuSmoothing.Exp,
    double? SmoothValue = null,
    bool Lowercase = false,
    bool EffectiveOrder = false,
    int MaxNgramOrder = 4)
{
    public static BleuTokenizer ParseTokenizer(string name) => name switch
    {
        "13a" => BleuTokenizer.Mteval13a,
        "intl" => BleuTokenizer.International,
        "char" => BleuTokenizer.Character,
        "none" => BleuTokenizer.None,
        "zh" => BleuTokenizer.Chinese,
        _ => throw new ArgumentException($"tokenize must be one of 13a, intl, char, none, zh; got '{name}'"),
    };

    public static BleuSmoothing ParseSmoothing(string name) => name switch
    {
        "none" => BleuSmoothing.None,
        "floor" => BleuSmoothing.Floor,
        "add-k" => BleuSmoothing.AddK,
        "exp" => BleuSmoothing.Exp,
        _ => throw new ArgumentException($"smooth must be one of none, floor, add-k, exp; got '{name}'"),
    };

    internal void Validate()
    {
        if (MaxNgramOrder < 1)
        {
            throw new ArgumentException($"max_ngram_order must be at least 1, got {MaxNgramOrder}");
        }

        if (SmoothValue is < 0 or double.NaN)
        {
            throw new ArgumentException($"smooth_value must be a non-negative number, got {SmoothValue}");
        }
    }
}
