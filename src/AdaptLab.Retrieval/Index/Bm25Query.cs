using System.Globalization;
using System.Text;

namespace AdaptLab.Retrieval.Index;

/// <summary>
/// A query as FTS5 reads it: each word quoted, joined by OR, so no query text is taken for FTS5 syntax.
/// FTS5's bm25() then ranks by Okapi BM25 (k1 1.2, b 0.75) over Porter-stemmed Unicode 6.1 word tokens.
/// </summary>
internal static class Bm25Query
{
    public static string MatchExpression(string query)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (var c in query + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                terms.Add("\"" + word.ToString().ToLower(CultureInfo.InvariantCulture) + "\"");
                word.Clear();
            }
        }

        return string.Join(" OR ", terms.Distinct(StringComparer.Ordinal));
    }
}
