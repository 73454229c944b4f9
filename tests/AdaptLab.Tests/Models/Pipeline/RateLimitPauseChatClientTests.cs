using System.Net;
using AdaptLab.Core.Models;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Models.Pipeline;

/// <summary>
/// The endpoint's pause in virtual time, with its slots and retries stacked as the model pipeline stacks them. How
/// rate-limit headers set the pause is <see cref="Models.RateLimitTests"/>' part, on real HTTP.
/// </summary>
public class RateLimitPauseChatClientTests
{
    private static readonly TimeSpan Reset = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Callers_queued_behind_a_429_wait_for_the_reset_instead_of_calling_the_model()
    {
        // The two calls in flight (the concurrency limit) get 429 and pause the endpoint, as the HTTP pipeline does on a
        // 429 with Retry-After; the four callers queued behind them must wait for the reset, not call the model.
        var clock = new VirtualClock();
        var pause = new RateLimitPause(clock, RateLimitPause.DefaultMaxPause);
        var limited = new TaskCompletionSource();
        using var model = new ScriptedChatClient(clock, async (call, _) =>
        {
            if (call.Ordinal > 2)
            {
                return "ok";
            }

            await limited.Task;
            pause.PauseFor(Reset);
            throw new HttpRequestException("rate limited", null, HttpStatusCode.TooManyRequests);
        });
        using var slots = new SemaphoreSlim(2, 2);
        using var client = new ChatClientBuilder(model)
            .UseRetries(new RetryOptions { Jitter = () => 0.5 }, clock)
            .UseConcurrencyLimit(slots)
            .UseRateLimitPause(pause)
            .Build();

        var replies = Task.WhenAll(Enumerable.Range(0, 6).Select(i => client.GetResponseAsync($"caller {i}")));
        await model.CalledAsync(2);
        limited.SetResult();
        for (var i = 0; i < 2; i++)
        {
            // Two back-offs, and two callers that took the freed slots now waiting out the pause.
            await clock.TimerSetAsync(new RetryOptions().BaseDelay / 2);
            await clock.TimerSetAsync(Reset);
        }

        clock.Advance(Reset);

        Assert.All(await replies.WaitAsync(TimeSpan.FromSeconds(10)), r => Assert.Equal("ok", r.Text));
        var calls = model.Calls;
        Assert.Equal(8, calls.Count);
        Assert.All(calls.Skip(2), c => Assert.Equal(clock.Start + Reset, c.Started));
    }

    [Fact]
    public async Task A_pause_extended_while_a_caller_waits_holds_it_to_the_new_end()
    {
        var clock = new VirtualClock();
        var pause = new RateLimitPause(clock, RateLimitPause.DefaultMaxPause);
        using var model = new ScriptedChatClient(clock, (_, _) => Task.FromResult("ok"));
        using var client = new ChatClientBuilder(model).UseRateLimitPause(pause).Build();
        pause.PauseFor(Reset);

        var reply = client.GetResponseAsync("hello");
        await clock.TimerSetAsync(Reset);
        clock.Advance(Reset / 2);
        pause.PauseFor(Reset);
        clock.Advance(Reset / 2);
        await clock.TimerSetAsync(Reset / 2);
        clock.Advance(Reset / 2);

        Assert.Equal("ok", (await reply.WaitAsync(TimeSpan.FromSeconds(10))).Text);
        Assert.Equal(clock.Start + (Reset * 1.5), Assert.Single(model.Calls).Started);
    }

    [Fact]
    public void A_header_cannot_pause_past_the_cap()
    {
        var clock = new VirtualClock();
        var pause = new RateLimitPause(clock, TimeSpan.FromMinutes(2));

        pause.PauseFor(TimeSpan.FromHours(1));

        Assert.Equal(clock.Start + TimeSpan.FromMinutes(2), pause.PausedUntil);
    }
}
