using AdaptLab.Core.Models;
using AdaptLab.Core.Tasks;
using AdaptLab.Engine;
using Microsoft.Extensions.AI;

namespace AdaptLab.Cli.Models;

/// <summary>
/// <c>local:</c> models on the in-process engine. The CLI registers it, so the core never loads
/// TorchSharp. Calls are taken one at a time: one generation already uses every core.
/// </summary>
internal sealed class LocalModelProvider : IModelProvider
{
    public string Name => "local";

    public IChatClient Create(ModelSpec spec, ModelReference reference)
    {
        if (reference.Name.StartsWith("hf:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"'{reference}': Hugging Face downloads are not in this build yet; point local: at a llama2.c checkpoint folder");
        }

        try
        {
            return new ConcurrencyLimitingChatClient(LocalModel.Open(reference.Name), new SemaphoreSlim(1, 1));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException)
        {
            throw new InvalidOperationException($"cannot open local model '{reference.Name}': {e.Message}", e);
        }
    }
}
