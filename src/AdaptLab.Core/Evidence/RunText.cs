namespace AdaptLab.Core.Evidence;

/// <summary>How a run's gates read in every rendering: the console, the gate's checks, a study's misses and the reports.</summary>
internal static class RunText
{
    /// <summary>" [72.7, 80.5], the interval straddles the target" where it does; else empty.</summary>
    public static string Straddle(RunReport report, GateResult g) => g.Straddles
        ? $" {Format.PointsInterval(report.Points(g.Name, g.Lower), report.Points(g.Name, g.Upper))}, the interval straddles the target" +
          (g.OnInterval ? string.Empty : g.Passed ? ": met on the estimate only (targets.require: interval asks for the whole interval)" : string.Empty)
        : string.Empty;

    /// <summary>A metric gate's target and value on the report's 0-100 scale; other gates as they are.</summary>
    public static (string Target, string Actual) GateValues(RunReport report, GateResult g) =>
        report.FullScales.ContainsKey(g.Name) ? (Format.Points(report.Points(g.Name, g.Target)), Format.Points(report.Points(g.Name, g.Actual)))
        : g.Name.EndsWith("_ms", StringComparison.Ordinal) ? (Format.Ms(g.Target), Format.Ms(g.Actual))
        : (Format.Value(g.Target), Format.Value(g.Actual));
}
