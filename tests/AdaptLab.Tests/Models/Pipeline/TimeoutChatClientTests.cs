using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Tests.Fakes;
using Microsoft.Extensions.AI;
using Polly.Timeout;

namespace AdaptLab.Tests.Models.Pipeline;

public class TimeoutChatClientTests
{
    [Fact]
    public async Task A_call_that_outlasts_the_timeout_is_abandoned_and_retried()
    {
        var clock = new VirtualClock();
        var timeout = TimeSpan.FromMilliseconds(300);
        using var model = new ScriptedChatClient(clock, async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, clock, ct);
            return "never";
        });
        using var client = new ChatClientBuilder(model)
            .UseRetries(new RetryOptions { MaxRetries = 1, Jitter = () => 0.5 }, clock)
            .UseTimeout(timeout, clock)
            .Build();

        var reply = client.GetResponseAsync("hello");
        await clock.TimerSetAsync(timeout);
        clock.Advance(timeout);
        var backOff = new RetryOptions().BaseDelay / 2;
        await clock.TimerSetAsync(backOff);
        clock.Advance(backOff);
        await clock.TimerSetAsync(timeout);
        clock.Advance(timeout);

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => reply.WaitAsync(TimeSpan.FromSeconds(10)));
        var calls = model.Calls;
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.True(c.Cancelled && c.Duration == timeout, $"call {c.Ordinal}: cancelled {c.Cancelled}, ran {c.Duration}"));
        Assert.Equal(backOff, calls[1].Started - calls[0].Ended!.Value);
    }
}
