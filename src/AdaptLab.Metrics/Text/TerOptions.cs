namespace AdaptLab.Metrics.Text;

/// <summary>sacrebleu 2.6.0 TER settings with sacrebleu's defaults (case-insensitive, no normalisation).</summary>
/// <param name="Normalized">Tercom's normalisation: tokenize punctuation, unescape XML entities.</param>
/// <param name="NoPunct">Remove the punctuation marks . , ? : ; ! " ( ).</param>
/// <param name="AsianSupport">With the above, split CJK characters apart and handle CJK punctuation.</param>
/// <param name="CaseSensitive">Keep case; sacrebleu lowercases by default.</param>
public sealed record TerOptions(
    bool Normalized = false,
    bool NoPunct = false,
    bool AsianSupport = false,
    bool CaseSensitive = false);
