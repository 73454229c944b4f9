using System.Threading.Channels;

namespace AdaptLab.Core.Store;

/// <summary>
/// Reads a sequence on another thread, a few elements ahead of its consumer, so reading (parsing a split, querying the
/// store) and using what was read (storing it, scoring it) run on two cores at once. Memory stays bounded by
/// <c>ahead</c> elements; an exception in the reading reaches the consumer where the element would have.
/// </summary>
internal static class ReadAhead
{
    public static IEnumerable<T> Ahead<T>(this IEnumerable<T> source, int ahead, CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(ahead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var element in source)
                    {
                        await channel.Writer.WriteAsync(element, stop.Token);
                    }

                    channel.Writer.Complete();
                }
                catch (Exception e)
                {
                    channel.Writer.Complete(e);
                }
            },
            CancellationToken.None);
        try
        {
            while (channel.Reader.WaitToReadAsync(stop.Token).AsTask().GetAwaiter().GetResult())
            {
                while (channel.Reader.TryRead(out var element))
                {
                    yield return element;
                }
            }
        }
        finally
        {
            // A consumer that stops early (or fails) stops the reading, and waits for it, so the source is disposed once.
            stop.Cancel();
            reader.GetAwaiter().GetResult();
        }
    }
}
