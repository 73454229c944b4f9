using System.Net;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Models.Pipeline;

/// <summary>Retries in virtual time: every back-off is a timer the test sees set and then lets run out; the draws are fixed.</summary>
public class RetryingChatClientTests
{
    [Fact]
    public async Task Each_back_off_is_its_draw_times_a_ceiling_that_doubles()
    {
        var clock = new VirtualClock();
        using var model = new ScriptedChatClient(clock, (call, _) =>
            call.Ordinal <= 3 ? throw new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable) : Task.FromResult("ok"));
        var draws = new Queue<double>([0.9, 0.6, 0.3]);
        var options = new RetryOptions { Jitter = draws.Dequeue };
        using var client = new ChatClientBuilder(model).UseRetries(options, clock).Build();

        var reply = client.GetResponseAsync("hello");
        TimeSpan[] waits = [options.BaseDelay * 0.9, options.BaseDelay * 2 * 0.6, options.BaseDelay * 4 * 0.3];
        foreach (var wait in waits)
        {
            await clock.TimerSetAsync(wait);
            clock.Advance(wait);
        }

        Assert.Equal("ok", (await reply.WaitAsync(TimeSpan.FromSeconds(10))).Text);
        var calls = model.Calls;
        Assert.Equal(4, calls.Count);
        Assert.Equal(waits, calls.Zip(calls.Skip(1), (before, after) => after.Started - before.Ended!.Value));
    }

    [Fact]
    public async Task A_back_off_drawn_under_a_millisecond_retries_at_once()
    {
        var clock = new VirtualClock();
        using var model = new ScriptedChatClient(clock, (call, _) =>
            call.Ordinal == 1 ? throw new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable) : Task.FromResult("ok"));
        using var client = new ChatClientBuilder(model).UseRetries(new RetryOptions { Jitter = () => 0.001 }, clock).Build();

        // Task.Delay waits whole milliseconds: a quarter of one is no wait at all, and the clock never moves.
        Assert.Equal("ok", (await client.GetResponseAsync("hello").WaitAsync(TimeSpan.FromSeconds(10))).Text);
        Assert.Equal(2, model.Calls.Count);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_is_not_retried()
    {
        var clock = new VirtualClock();
        using var model = new ScriptedChatClient(clock, (_, _) => throw new HttpRequestException("bad request", null, HttpStatusCode.BadRequest));
        using var client = new ChatClientBuilder(model).UseRetries(new RetryOptions(), clock).Build();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync("hello").WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Single(model.Calls);
    }
}
