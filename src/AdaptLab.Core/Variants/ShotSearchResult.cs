namespace AdaptLab.Core.Variants;

/// <summary>What the search chose and how each candidate scored on the dev split.</summary>
internal sealed record ShotSearchResult(string Metric, string DevHash, IReadOnlyList<string> Chosen, IReadOnlyList<ShotCandidate> Candidates);

/// <param name="Answered">Dev items whose call succeeded, which the score is over.</param>
internal sealed record ShotCandidate(IReadOnlyList<string> Ids, double Score, int Answered);
