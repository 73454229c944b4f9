using AdaptLab.Core.Models;
using AdaptLab.Core.Models.Hub;
using AdaptLab.Core.Tasks;
using AdaptLab.Cli.Models.Engine;
using Microsoft.Extensions.AI;

namespace AdaptLab.Cli.Models;

/// <summary>
/// <c>local:</c> models on the in-process engine: a folder or file, or <c>local:hf:org/name[@revision]</c>,
/// fetched from the Hugging Face hub into the cache first. The CLI registers it, so the core never loads
/// TorchSharp; the engine itself is an add-on (<see cref="EngineLoader"/>).
/// </summary>
internal sealed class LocalModelProvider(IProgress<HubDownloadProgress>? downloadProgress = null) : IModelProvider
{
    public const string HubPrefix = "hf:";

    public string Name => "local";

    public IChatClient Create(ModelSpec spec, ModelReference reference)
    {
        var engine = EngineLoader.Get();
        var path = reference.Name.StartsWith(HubPrefix, StringComparison.Ordinal)
            ? DownloadAsync(reference.Name, downloadProgress ?? new HubDownloadLog(Console.Error), CancellationToken.None).GetAwaiter().GetResult()
            : reference.Name;
        try
        {
            return engine.OpenChatModel(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException)
        {
            var where = path == reference.Name ? string.Empty : $" (downloaded to {path})";
            throw new InvalidOperationException($"cannot open local model '{reference.Name}'{where}: {e.Message}", e);
        }
    }

    /// <summary>The folder holding a <c>hf:org/name[@revision]</c> model, downloaded unless already on disk.</summary>
    /// <exception cref="InvalidOperationException">The id is malformed or the download failed; the message says why.</exception>
    public static async Task<string> DownloadAsync(string name, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            var model = HubModelId.Parse(name[HubPrefix.Length..]);
            using var downloader = new HubDownloader(HubOptions.FromEnvironment());
            return await downloader.DownloadAsync(model, progress, cancellationToken);
        }
        catch (Exception e) when (e is HubDownloadException or FormatException)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }
}
