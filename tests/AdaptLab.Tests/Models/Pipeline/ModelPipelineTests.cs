using System.Net;
using AdaptLab.Core.Models;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AdaptLab.Tests.Models.Pipeline;

/// <summary>The pipeline as eval and serve build it, around a scripted remote model, in virtual time.</summary>
public class ModelPipelineTests
{
    private static readonly TimeSpan FirstAttempt = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan SecondAttempt = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task A_calls_latency_is_its_attempts_not_the_slot_wait_pause_or_back_off_between_them()
    {
        var clock = new VirtualClock();
        var endpoint = new ModelEndpoint("scripted", new RateLimitPause(clock, RateLimitPause.DefaultMaxPause));
        using var model = new ScriptedChatClient(clock, async (call, ct) =>
        {
            await Task.Delay(call.Ordinal == 1 ? FirstAttempt : SecondAttempt, clock, ct);
            return call.Ordinal == 1 ? throw new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable) : "ok";
        }, endpoint);
        var remote = new RemoteCallOptions { MaxConcurrency = 1, Retry = new RetryOptions { Jitter = () => 0.5 } };
        using var client = ModelPipeline.Build(model, new ModelPipelineOptions("scripted", RemoteCalls: remote) { Time = clock });
        var slot = endpoint.Slots(remote.MaxConcurrency);
        await slot.WaitAsync();
        endpoint.Pause.PauseFor(TimeSpan.FromSeconds(2));

        // One second waiting for the endpoint's only slot, one more for the pause, then two attempts with a back-off.
        var reply = client.GetResponseAsync("hello");
        clock.Advance(TimeSpan.FromSeconds(1));
        slot.Release();
        await clock.TimerSetAsync(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        await clock.TimerSetAsync(FirstAttempt);
        clock.Advance(FirstAttempt);
        var backOff = remote.Retry.BaseDelay / 2;
        await clock.TimerSetAsync(backOff);
        clock.Advance(backOff);
        await clock.TimerSetAsync(SecondAttempt);
        clock.Advance(SecondAttempt);

        var response = await reply.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ok", response.Text);
        Assert.Equal((FirstAttempt + SecondAttempt).TotalMilliseconds, CallRecordingChatClient.LatencyOf(response));
        Assert.Equal(TimeSpan.FromSeconds(2) + FirstAttempt + backOff + SecondAttempt, clock.Elapsed);
    }

    [Fact]
    public async Task A_cached_answer_keeps_the_models_latency_and_never_waits_for_a_slot_or_a_pause()
    {
        var clock = new VirtualClock();
        var endpoint = new ModelEndpoint("scripted", new RateLimitPause(clock, RateLimitPause.DefaultMaxPause));
        using var model = new ScriptedChatClient(clock, async (_, ct) =>
        {
            await Task.Delay(FirstAttempt, clock, ct);
            return "ok";
        }, endpoint);
        var remote = new RemoteCallOptions { MaxConcurrency = 1 };
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var client = ModelPipeline.Build(model, new ModelPipelineOptions("scripted", cache, remote) { Time = clock });
        var first = client.GetResponseAsync("hello");
        await clock.TimerSetAsync(FirstAttempt);
        clock.Advance(FirstAttempt);
        var asked = await first.WaitAsync(TimeSpan.FromSeconds(10));

        // The endpoint now has no free slot and a long pause: only an answer from the cache can come back.
        await endpoint.Slots(remote.MaxConcurrency).WaitAsync();
        endpoint.Pause.PauseFor(TimeSpan.FromMinutes(1));
        var cached = await client.GetResponseAsync("hello").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(ResponseCacheChatClient.IsCacheHit(asked));
        Assert.True(ResponseCacheChatClient.IsCacheHit(cached));
        Assert.Equal("ok", cached.Text);
        Assert.Equal(FirstAttempt.TotalMilliseconds, CallRecordingChatClient.LatencyOf(asked));
        Assert.Equal(FirstAttempt.TotalMilliseconds, CallRecordingChatClient.LatencyOf(cached));
        Assert.Single(model.Calls);
    }

    [Fact]
    public async Task A_model_without_an_endpoint_gets_no_retries()
    {
        var clock = new VirtualClock();
        using var model = new ScriptedChatClient(clock, (_, _) => throw new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable));
        using var client = ModelPipeline.Build(model, new ModelPipelineOptions("in-process", RemoteCalls: new RemoteCallOptions()) { Time = clock });

        // A retry would wait on the clock, which never moves: the call would not end.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync("hello").WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Single(model.Calls);
        Assert.Equal(0, CallRecordingChatClient.LatencyOf(error));
    }
}
