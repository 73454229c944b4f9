using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.PublicApi;

/// <summary>A caller's own model, as a C# user would write one: answers the last user message with a function of it, and counts calls.</summary>
internal sealed class UserChatClient(Func<string, string> answer) : IChatClient
{
    private int calls;

    public int Calls => Volatile.Read(ref calls);

    public bool Disposed { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref calls);
        var prompt = messages.Last(m => m.Role == ChatRole.User).Text;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(prompt))));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("this model does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() => Disposed = true;
}
