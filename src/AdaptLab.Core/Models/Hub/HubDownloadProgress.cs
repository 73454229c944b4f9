namespace AdaptLab.Core.Models.Hub;

/// <summary>One file's transfer so far; <see cref="Total"/> is null while the server has not said.</summary>
internal sealed record HubDownloadProgress(string File, long Downloaded, long? Total, int FileNumber, int FileCount);
