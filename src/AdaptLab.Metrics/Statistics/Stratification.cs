namespace AdaptLab.Metrics.Statistics;

/// <summary>A metric's strata (<see cref="IResamplableMetric.Strata"/>) as the bootstrap draws from them.</summary>
internal sealed class Stratification
{
    private readonly ResampleStrata strata;

    private Stratification(ResampleStrata strata)
    {
        this.strata = strata;
        Members = Bootstrap.Members(strata.OfUnit);
    }

    /// <summary>The units of each stratum, as <see cref="Bootstrap.Replicates"/> takes them.</summary>
    public int[][] Members { get; }

    /// <summary>How the resamples were drawn, for the method text.</summary>
    public string Words => $"stratified by {strata.By} ({Members.Length} {strata.Plural})";

    /// <summary>
    /// Why the interval understates the uncertainty, or null: a stratum of one unit is that unit in every
    /// resample, so nothing about it varies.
    /// </summary>
    public string? Caution => Members.Count(m => m.Length < 2) is var single and > 0
        ? $"{single} of {Members.Length} {strata.Plural} have a single item, which every resample repeats, so the interval leaves out their uncertainty"
        : null;

    /// <summary>The metric's strata over <paramref name="units"/> units, or null where it resamples them all together.</summary>
    /// <exception cref="ArgumentException">The metric gave a stratum for other than each unit.</exception>
    public static Stratification? Of(IMetric metric, ResampleStrata? strata, int units)
    {
        if (strata is null)
        {
            return null;
        }

        if (strata.OfUnit.Count != units)
        {
            throw new ArgumentException($"metric '{metric.Name}' gave {strata.OfUnit.Count} strata numbers for {units} units");
        }

        return new Stratification(strata);
    }
}
