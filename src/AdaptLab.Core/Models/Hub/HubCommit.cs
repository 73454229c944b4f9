namespace AdaptLab.Core.Models.Hub;

internal static class HubCommit
{
    /// <summary>A full git commit hash: 40 lowercase hex digits.</summary>
    public static bool IsCommit(string text) => text.Length == 40 && text.All(char.IsAsciiHexDigitLower);
}
