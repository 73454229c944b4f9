using System.Text;

namespace AdaptLab.Engine.Generation;

/// <summary>
/// Releases streamed text up to the first stop sequence. Text that could still turn out to be the start of a
/// stop sequence is held back until the next piece shows whether it is.
/// </summary>
internal sealed class StopSequenceFilter(IReadOnlyList<string> stopSequences)
{
    private readonly StringBuilder pending = new();

    public bool Stopped { get; private set; }

    public string Push(string text)
    {
        if (stopSequences.Count == 0)
        {
            return text;
        }

        var buffered = pending.Append(text).ToString();
        var stopAt = stopSequences.Select(s => buffered.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (stopAt >= 0)
        {
            Stopped = true;
            pending.Clear();
            return buffered[..stopAt];
        }

        var held = LongestSuffixStartingAStop(buffered);
        pending.Clear().Append(buffered, buffered.Length - held, held);
        return buffered[..^held];
    }

    public string Flush()
    {
        var rest = pending.ToString();
        pending.Clear();
        return rest;
    }

    private int LongestSuffixStartingAStop(string text)
    {
        var longest = 0;
        foreach (var stop in stopSequences)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
