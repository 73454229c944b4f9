namespace AdaptLab.Metrics.Text;

/// <summary>sacrebleu 2.6.0 chrF settings with sacrebleu's defaults; word order 2 makes chrF++.</summary>
/// <param name="CharOrder">Character n-gram orders 1..CharOrder.</param>
/// <param name="WordOrder">Word n-gram orders 1..WordOrder (0 for chrF, 2 for chrF++).</param>
/// <param name="Beta">Weight of recall over precision.</param>
/// <param name="Lowercase">Lowercase both sides first.</param>
/// <param name="Whitespace">Keep whitespace inside character n-grams.</param>
/// <param name="EpsSmoothing">Average per-order F scores with epsilon for empty orders (chrF++.py,
/// Moses, NLTK) instead of sacrebleu's default averaging over orders both sides have.</param>
public sealed record ChrfOptions(
    int CharOrder = 6,
    int WordOrder = 0,
    double Beta = 2,
    bool Lowercase = false,
    bool Whitespace = false,
    bool EpsSmoothing = false)
{
    internal int Order => CharOrder + WordOrder;

    internal void Validate()
    {
        if (CharOrder < 1 || WordOrder < 0)
        {
            throw new ArgumentException($"chrF needs char_order >= 1 and word_order >= 0, got {CharOrder} and {WordOrder}");
        }

        if (!(Beta >= 0) || double.IsInfinity(Beta))
        {
            throw new ArgumentException($"beta must be a non-negative number, got {Beta}");
        }
    }
}
