using System.Net;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Models.Pipeline;

/// <summary>The latency a call is recorded with, in virtual time: the model's attempts, and nothing spent between them.</summary>
public class CallRecordingChatClientTests
{
    private static readonly TimeSpan FirstAttempt = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan SecondAttempt = TimeSpan.FromMilliseconds(100);
    private static readonly RetryOptions OneRetry = new() { MaxRetries = 1, Jitter = () => 0.5 };

    [Fact]
    public async Task A_failed_call_that_reached_the_model_took_its_attempts_time_without_the_back_off()
    {
        var clock = new VirtualClock();
        using var model = new ScriptedChatClient(clock, async (call, ct) =>
        {
            await Task.Delay(call.Ordinal == 1 ? FirstAttempt : SecondAttempt, clock, ct);
            throw new HttpRequestException($"attempt {call.Ordinal} failed", null, HttpStatusCode.BadGateway);
        });
        using var client = new ChatClientBuilder(model).UseCallRecorder(clock).UseRetries(OneRetry, clock).UseAttemptTiming(clock).Build();

        var reply = client.GetResponseAsync("hello");
        await clock.TimerSetAsync(FirstAttempt);
        clock.Advance(FirstAttempt);
        var backOff = OneRetry.BaseDelay / 2;
        await clock.TimerSetAsync(backOff);
        clock.Advance(backOff);
        await clock.TimerSetAsync(SecondAttempt);
        clock.Advance(SecondAttempt);

        // The model's own exception, carrying the latency.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => reply.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("attempt 2 failed", error.Message);
        Assert.Equal((FirstAttempt + SecondAttempt).TotalMilliseconds, CallRecordingChatClient.LatencyOf(error));
        Assert.Equal(FirstAttempt + backOff + SecondAttempt, clock.Elapsed);
    }

    [Fact]
    public async Task A_failed_call_that_never_reached_the_model_took_the_whole_wait()
    {
        var clock = new VirtualClock();
        using var model = new ScriptedChatClient(clock, (_, _) => Task.FromResult("ok"));
        using var slots = new SemaphoreSlim(0, 1);
        using var client = new ChatClientBuilder(model).UseCallRecorder(clock).UseConcurrencyLimit(slots).UseAttemptTiming(clock).Build();
        using var giveUp = new CancellationTokenSource();

        var reply = client.GetResponseAsync("hello", cancellationToken: giveUp.Token);
        clock.Advance(TimeSpan.FromSeconds(3));
        await giveUp.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reply.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(3000, CallRecordingChatClient.LatencyOf(error));
        Assert.Empty(model.Calls);
    }

    [Fact]
    public async Task Without_attempt_timing_the_whole_call_is_timed()
    {
        var clock = new VirtualClock();
        using var slots = new SemaphoreSlim(0, 1);
        using var model = new ScriptedChatClient(clock, async (_, ct) =>
        {
            await Task.Delay(SecondAttempt, clock, ct);
            return "ok";
        });
        using var client = new ChatClientBuilder(model).UseCallRecorder(clock).UseConcurrencyLimit(slots).Build();

        var reply = client.GetResponseAsync("hello");
        clock.Advance(FirstAttempt);
        slots.Release();
        await clock.TimerSetAsync(SecondAttempt);
        clock.Advance(SecondAttempt);

        Assert.Equal((FirstAttempt + SecondAttempt).TotalMilliseconds, CallRecordingChatClient.LatencyOf(await reply.WaitAsync(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void A_response_or_failure_that_never_passed_a_recorder_has_no_latency_to_read()
    {
        Assert.Throws<InvalidOperationException>(() => CallRecordingChatClient.LatencyOf(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))));
        Assert.Throws<InvalidOperationException>(() => CallRecordingChatClient.LatencyOf(new HttpRequestException("refused")));
    }
}
