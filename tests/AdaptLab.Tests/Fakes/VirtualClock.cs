using Microsoft.Extensions.Time.Testing;

namespace AdaptLab.Tests.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells the test each time the code under test starts waiting on it, so the test
/// moves the clock only once something waits, and by exactly as much as it waits: what follows a wait then happens at a
/// known virtual time, however slowly the machine runs it.
/// </summary>
internal sealed class VirtualClock : FakeTimeProvider
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private readonly List<TimeSpan> unclaimed = [];
    private readonly SemaphoreSlim timerSet = new(0);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(this, base.CreateTimer(callback, state, dueTime, period));
        Set(dueTime);
        return timer;
    }

    /// <summary>Waits (in real time, 10 s at most) until the code under test sets a timer of exactly <paramref name="dueTime"/>.</summary>
    public Task TimerSetAsync(TimeSpan dueTime) => TimerSetAsync(due => due == dueTime, $"of {dueTime}");

    /// <summary>Waits (in real time, 10 s at most) until the code under test sets a timer whose due time matches; returns that due time.</summary>
    public async Task<TimeSpan> TimerSetAsync(Func<TimeSpan, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            lock (gate)
            {
                var index = unclaimed.FindIndex(due => match(due));
                if (index >= 0)
                {
                    var due = unclaimed[index];
                    unclaimed.RemoveAt(index);
                    return due;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await timerSet.WaitAsync(left))
            {
                lock (gate)
                {
                    throw new TimeoutException($"no timer {what} was set within {Patience} (unclaimed: {string.Join(", ", unclaimed)})");
                }
            }
        }
    }

    /// <summary>Virtual time since the clock was made.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Start;

    private void Set(TimeSpan dueTime)
    {
        // A timer is often made stopped and started with Change, so that it cannot fire before its owner holds it.
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        lock (gate)
        {
            unclaimed.Add(dueTime);
        }

        timerSet.Release();
    }

    private sealed class WatchedTimer(VirtualClock clock, ITimer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = timer.Change(dueTime, period);
            clock.Set(dueTime);
            return changed;
        }

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
