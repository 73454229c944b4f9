namespace AdaptLab.Metrics;

/// <summary>
/// Groups of a metric's units that a bootstrap resamples separately, each keeping its size: a resample
/// draws, within every stratum, as many units as it has, with replacement.
/// </summary>
/// <param name="OfUnit">The stratum of each unit, numbered from 0.</param>
/// <param name="By">What a stratum is, for the report ("gold label").</param>
/// <param name="Plural">The strata counted in words ("labels").</param>
public sealed record ResampleStrata(IReadOnlyList<int> OfUnit, string By, string Plural);
