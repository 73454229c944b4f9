namespace AdaptLab.Core.Store;

/// <summary>Where a study's rung stands: planned until the climb measures it or gives a reason to skip it.</summary>
internal enum RungStatus
{
    Planned,
    Measured,
    Skipped,
}

/// <summary>The text study_rungs.status holds for each status: studies stored before the enum read back as they were.</summary>
internal static class RungStatusColumn
{
    public static string Text(RungStatus status) => status switch
    {
        RungStatus.Planned => "planned",
        RungStatus.Measured => "measured",
        RungStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <exception cref="FormatException">The column holds a status this version does not know.</exception>
    public static RungStatus Parse(string text) => Enum.GetValues<RungStatus>().Cast<RungStatus?>().FirstOrDefault(s => Text(s!.Value) == text)
        ?? throw new FormatException($"study_rungs.status '{text}' is no rung status ({string.Join(", ", Enum.GetValues<RungStatus>().Select(Text))})");
}
