namespace AdaptLab.Core.Models;

/// <summary>
/// One endpoint's "hold off until" moment, shared by every caller of that endpoint: when the server says it
/// is rate limited, everyone waits for the reset once instead of each caller finding out with its own 429.
/// Hand-written: no Polly strategy holds callers until a shared deadline. Its circuit breaker, the one with
/// shared state, rejects calls instead of holding them and opens on failure ratios, not on a header's reset
/// time, and nothing in Polly reacts to a successful response saying the budget is spent.
/// </summary>
internal sealed class RateLimitPause(TimeProvider time, TimeSpan maxPause)
{
    /// <summary>The longest pause a header may ask for.</summary>
    public static readonly TimeSpan DefaultMaxPause = TimeSpan.FromMinutes(2);

    private long pausedUntilTicks;

    /// <summary>The clock the pause runs on, which rate-limit headers are read against too.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>The end of the current pause, or null when calls may go ahead.</summary>
    public DateTimeOffset? PausedUntil
    {
        get
        {
            var until = new DateTimeOffset(Interlocked.Read(ref pausedUntilTicks), TimeSpan.Zero);
            return until > Time.GetUtcNow() ? until : null;
        }
    }

    /// <summary>Extends the pause to <paramref name="wait"/> from now (capped, so a bogus header cannot stall a run); never shortens it.</summary>
    public void PauseFor(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        var until = (Time.GetUtcNow() + (wait < maxPause ? wait : maxPause)).UtcTicks;
        var seen = Interlocked.Read(ref pausedUntilTicks);
        while (until > seen)
        {
            var previous = Interlocked.CompareExchange(ref pausedUntilTicks, until, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>Returns once no pause is in force; loops because another 429 may extend the pause while we wait.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        while (PausedUntil is { } until)
        {
            var remaining = until - Time.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, Time, cancellationToken);
            }
        }
    }
}
