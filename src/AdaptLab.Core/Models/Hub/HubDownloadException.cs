namespace AdaptLab.Core.Models.Hub;

/// <summary>A model could not be fetched from the hub; the message says why and what to do.</summary>
internal sealed class HubDownloadException(string message, Exception? inner = null) : Exception(message, inner);
