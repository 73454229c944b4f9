namespace AdaptLab.Core.Store;

/// <summary>
/// Where a run stands in runs.status: running from its creation (and still, for one killed before it finished) until every
/// item is answered and scored. The column holds each one's <see cref="StoredAsAttribute"/> text, as before the enum.
/// </summary>
internal enum RunStatus
{
    [StoredAs("running")]
    Running,

    [StoredAs("completed")]
    Completed,
}

/// <summary>
/// Where a study stands in studies.status: running until the climb ends and its recommendation is frozen. The column holds
/// each one's <see cref="StoredAsAttribute"/> text, as before the enum.
/// </summary>
internal enum StudyStatus
{
    [StoredAs("running")]
    Running,

    [StoredAs("completed")]
    Completed,
}
