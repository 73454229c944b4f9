using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine;

/// <summary>
/// Serves concurrent callers of one in-process model: a single worker takes the waiting greedy calls that
/// share their options (an evaluation's items) and completes them as one batch, up to
/// <paramref name="maxBatch"/> at a time, so evaluation throughput grows with concurrency. Sampled calls
/// run alone (a batch would change their random draws), and so do streamed ones; everything reaches the
/// model one batch at a time. Each call is tokenised and checked (context length, schema) on the caller's
/// side before it queues, so a prompt the model would refuse, however long, never holds up the others.
/// </summary>
public sealed class BatchingChatClient(LocalChatClient model, int maxBatch = 8) : DelegatingChatClient(model)
{
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim turn = new(1, 1);
    private Task? worker;

    /// <exception cref="ContextLengthExceededException">The prompt does not fit the model's context.</exception>
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var prompt = await Task.Run(() => model.Prepare(list, options), cancellationToken);
        var pending = new Pending(prompt, options, BatchKey(options), cancellationToken);
        StartWorker();
        queue.Writer.TryWrite(pending);
        return await pending.Reply.Task;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var prompt = await Task.Run(() => model.Prepare(list, options), cancellationToken);
        await turn.WaitAsync(cancellationToken);
        try
        {
            await foreach (var update in model.GetStreamingResponseAsync(prompt, options, cancellationToken))
            {
                yield return update;
            }
        }
        finally
        {
            turn.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            queue.Writer.TryComplete();
            worker?.GetAwaiter().GetResult();
            turn.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>How many batches reached the model (for tests of the batching itself).</summary>
    internal int BatchesRun { get; private set; }

    private void StartWorker()
    {
        lock (queue)
        {
            worker ??= Task.Run(WorkAsync);
        }
    }

    private async Task WorkAsync()
    {
        var waiting = new List<Pending>();
        while (waiting.Count > 0 || await queue.Reader.WaitToReadAsync())
        {
            while (queue.Reader.TryRead(out var next))
            {
                waiting.Add(next);
            }

            waiting.RemoveAll(p => p.Cancellation.IsCancellationRequested && p.Reply.TrySetCanceled(p.Cancellation));
            if (waiting.Count == 0)
            {
                continue;
            }

            var first = waiting[0];
            var batch = first.Key is null ? [first] : waiting.Where(p => p.Key == first.Key).Take(maxBatch).ToList();
            waiting.RemoveAll(batch.Contains);
            await RunAsync(batch);
        }
    }

    private async Task RunAsync(List<Pending> batch)
    {
        await turn.WaitAsync();
        try
        {
            BatchesRun++;
            var replies = await model.GetResponsesAsync([.. batch.Select(p => p.Prompt)], batch[0].Options, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Reply.TrySetResult(replies[i]);
            }
        }
        catch (Exception e)
        {
            batch.ForEach(p => p.Reply.TrySetException(e));
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>Greedy calls with equal options may share a batch; null for a call that must run alone.</summary>
    private static string? BatchKey(ChatOptions? options) => options?.Temperature == 0
        ? JsonSerializer.Serialize(new
        {
            options.MaxOutputTokens,
            options.StopSequences,
            Schema = (options.ResponseFormat as ChatResponseFormatJson)?.Schema?.GetRawText(),
            Json = options.ResponseFormat is ChatResponseFormatJson,
        })
        : null;

    private sealed record Pending(IReadOnlyList<int> Prompt, ChatOptions? Options, string? Key, CancellationToken Cancellation)
    {
        public TaskCompletionSource<ChatResponse> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
