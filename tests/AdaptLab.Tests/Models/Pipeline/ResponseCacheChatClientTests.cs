using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Models.Pipeline;

/// <summary>
/// The response cache's own keys: a request asked before is answered from the store, under the key AdaptLab writes now
/// and under Microsoft.Extensions.AI's own form, which stores written before it hold; a changed request or identity is not.
/// </summary>
public class ResponseCacheChatClientTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Which label? card declined")];
    private static readonly ChatOptions Options = new() { Temperature = 0, MaxOutputTokens = 8 };

    private static ScriptedChatClient Model() => new(TimeProvider.System, (call, _) => Task.FromResult($"answer {call.Ordinal}"));

    private static IChatClient Cached(IChatClient model, RunStore store, bool read = true, string identity = "variant-1") =>
        new ChatClientBuilder(model).UseResponseCache(new SqliteResponseCache(store, read), identity).Build();

    [Fact]
    public async Task A_request_asked_before_is_answered_from_the_store_and_a_changed_one_is_not()
    {
        using var dir = new TempDir();
        var model = Model();
        using (var store = RunStore.Open(dir.Path("runs.db")))
        {
            Assert.Equal("answer 1", (await Cached(model, store).GetResponseAsync(Question, Options)).Text);
        }

        using (var store = RunStore.Open(dir.Path("runs.db")))
        {
            var again = await Cached(model, store).GetResponseAsync(Question, Options);
            Assert.Equal("answer 1", again.Text);
            Assert.True(ResponseCacheChatClient.IsCacheHit(again));

            // The control: other options, another identity or --no-cache reach the model.
            Assert.Equal("answer 2", (await Cached(model, store).GetResponseAsync(Question, new ChatOptions { Temperature = 0, MaxOutputTokens = 9 })).Text);
            Assert.Equal("answer 3", (await Cached(model, store, identity: "variant-2").GetResponseAsync(Question, Options)).Text);
            Assert.Equal("answer 4", (await Cached(model, store, read: false).GetResponseAsync(Question, Options)).Text);
        }

        // --no-cache replaced the answer: the next cached read serves the fresh one.
        using (var store = RunStore.Open(dir.Path("runs.db")))
        {
            Assert.Equal("answer 4", (await Cached(model, store).GetResponseAsync(Question, Options)).Text);
        }

        Assert.Equal(4, model.Calls.Count);
    }

    [Fact]
    public async Task An_answer_cached_under_the_earlier_key_form_is_still_served()
    {
        using var dir = new TempDir();
        var model = Model();
        using (var store = RunStore.Open(dir.Path("runs.db")))
        {
            // As AdaptLab cached before it keyed answers itself: Microsoft.Extensions.AI's client with the identity as its extra key value.
            using var earlier = new DistributedCachingChatClient(Model(), new SqliteResponseCache(store)) { CacheKeyAdditionalValues = ["variant-1"] };
            Assert.Equal("answer 1", (await earlier.GetResponseAsync(Question, Options)).Text);
        }

        using (var store = RunStore.Open(dir.Path("runs.db")))
        {
            var response = await Cached(model, store).GetResponseAsync(Question, Options);
            Assert.Equal("answer 1", response.Text);
            Assert.True(ResponseCacheChatClient.IsCacheHit(response));

            // The control: the earlier key of another identity is not this request's.
            Assert.Equal("answer 1", (await Cached(model, store, identity: "variant-2").GetResponseAsync(Question, Options)).Text);
        }

        Assert.Single(model.Calls);
    }

    [Fact]
    public async Task An_answer_is_stored_as_compact_json_and_read_back_whole()
    {
        var storage = new RecordingCache();
        var model = new ScriptedChatClient(TimeProvider.System, (call, _) => Task.FromResult("card"));
        using var cached = new ChatClientBuilder(model).UseResponseCache(storage, "variant-1").Build();

        var first = await cached.GetResponseAsync(Question, Options);
        var stored = System.Text.Encoding.UTF8.GetString(Assert.Single(storage.Entries).Value);
        var again = await cached.GetResponseAsync(Question, Options);

        // Microsoft.Extensions.AI's default options indent; the stored form does not, and reads back the same answer.
        Assert.DoesNotContain('\n', stored);
        Assert.StartsWith("{\"messages\":[{\"role\":\"assistant\"", stored);
        Assert.Equal(first.Text, again.Text);
        Assert.True(ResponseCacheChatClient.IsCacheHit(again));
        Assert.Single(model.Calls);
    }

    /// <summary>Keeps what is stored, to look at its bytes.</summary>
    private sealed class RecordingCache : Microsoft.Extensions.Caching.Distributed.IDistributedCache
    {
        public Dictionary<string, byte[]> Entries { get; } = [];

        public byte[]? Get(string key) => Entries.GetValueOrDefault(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

        public void Set(string key, byte[] value, Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions options) => Entries[key] = value;

        public Task SetAsync(string key, byte[] value, Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Set(key, value, options);
            return Task.CompletedTask;
        }

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key) => Entries.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default)
        {
            Remove(key);
            return Task.CompletedTask;
        }
    }
}
