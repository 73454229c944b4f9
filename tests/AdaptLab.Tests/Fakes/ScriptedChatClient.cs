using System.Collections.Concurrent;
using AdaptLab.Core.Models;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Fakes;

/// <summary>
/// An in-memory model for tests of the model pipeline's stages, where an HTTP server would prove nothing more: each call
/// runs the test's script (answer, throw, or take virtual time first), and is logged with when it began and ended on the
/// test's clock. Answering <c>GetService(typeof(ModelEndpoint))</c> with <paramref name="endpoint"/> makes it a remote model
/// to <see cref="Core.Models.Pipeline.ModelPipeline"/>, which then adds the remote-call stages.
/// </summary>
internal sealed class ScriptedChatClient(TimeProvider time, Func<ScriptedCall, CancellationToken, Task<string>> script, ModelEndpoint? endpoint = null)
    : IChatClient
{
    private readonly ConcurrentQueue<ScriptedCall> calls = new();
    private readonly SemaphoreSlim called = new(0);
    private int ordinal;

    /// <summary>Every call so far, in the order they began.</summary>
    public IReadOnlyList<ScriptedCall> Calls => [.. calls.OrderBy(c => c.Ordinal)];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = new ScriptedCall(Interlocked.Increment(ref ordinal), time.GetUtcNow());
        calls.Enqueue(call);
        called.Release();
        try
        {
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, await script(call, cancellationToken)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            call.Cancelled = true;
            throw;
        }
        finally
        {
            call.Ended = time.GetUtcNow();
        }
    }

    /// <summary>Waits (in real time, 10 s at most) until <paramref name="count"/> calls have begun.</summary>
    public async Task CalledAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (calls.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await called.WaitAsync(left))
            {
                throw new TimeoutException($"{calls.Count} of {count} calls began");
            }
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the scripted model does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ModelEndpoint) ? endpoint
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => called.Dispose();
}

/// <summary>One call to a <see cref="ScriptedChatClient"/>; <paramref name="Ordinal"/> counts from 1.</summary>
internal sealed record ScriptedCall(int Ordinal, DateTimeOffset Started)
{
    public DateTimeOffset? Ended { get; set; }

    /// <summary>The call's cancellation token fired while it ran (a timeout or the caller gave up).</summary>
    public bool Cancelled { get; set; }

    public TimeSpan? Duration => Ended - Started;
}
