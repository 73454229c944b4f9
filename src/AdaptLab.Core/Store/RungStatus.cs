namespace AdaptLab.Core.Store;

/// <summary>
/// Where a study's rung stands: planned until the climb measures it or gives a reason to skip it. study_rungs.status holds
/// each one's <see cref="StoredAsAttribute"/> text, as studies stored before the enum hold it; a row reads back as a
/// <see cref="StoredStatus{T}"/>, which keeps a status this version does not know as its text.
/// </summary>
internal enum RungStatus
{
    [StoredAs("planned")]
    Planned,

    [StoredAs("measured")]
    Measured,

    [StoredAs("skipped")]
    Skipped,
}
