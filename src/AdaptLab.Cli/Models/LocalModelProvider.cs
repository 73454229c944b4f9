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
            return new OneAtATimeChatClient(LocalModel.Open(reference.Name));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException)
        {
            throw new InvalidOperationException($"cannot open local model '{reference.Name}': {e.Message}", e);
        }
    }

    private sealed class OneAtATimeChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        private readonly SemaphoreSlim gate = new(1, 1);

        public override async Task<ChatResponse> GetResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await base.GetResponseAsync(messages, options, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                gate.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
