using System.Net;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Models.Pipeline;

/// <summary>Retries in virtual time: every back-off is a timer the test sees set and then lets run out.</summary>
public class RetryingChatClientTests
{
    [Fact]
    public async Task Each_back_off_is_a_random_wait_below_a_ceiling_that_doubles()
    {
        var clock = new VirtualClock();
        using var model = new ScriptedChatClient(clock, (call, _) =>
            call.Ordinal <= 3 ? throw new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable) : Task.FromResult("ok"));
        var options = new RetryOptions();
        using var client = new ChatClientBuilder(model).UseRetries(options, clock).Build();

        var reply = client.GetResponseAsync("hello");
        var waits = new List<TimeSpan>();
        foreach (var ceiling in new[] { options.BaseDelay, options.BaseDelay * 2, options.BaseDelay * 4 })
        {
            waits.Add(await clock.TimerSetAsync(due => due < ceiling, $"below {ceiling}"));
            clock.Advance(waits[^1]);
        }

        Assert.Equal("ok", (await reply.WaitAsync(TimeSpan.FromSeconds(10))).Text);
        var calls = model.Calls;
        Assert.Equal(4, calls.Count);
        Assert.Equal(waits, calls.Zip(calls.Skip(1), (before, after) => after.Started - before.Ended!.Value));
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
