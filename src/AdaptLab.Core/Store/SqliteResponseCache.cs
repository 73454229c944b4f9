using Microsoft.Extensions.Caching.Distributed;

namespace AdaptLab.Core.Store;

/// <summary>
/// The response cache as an <see cref="IDistributedCache"/> over the run store, so MEAI's own
/// <c>DistributedCachingChatClient</c> does the keying (messages, options, model) and a re-run of
/// an unchanged eval is answered from disk without calling the model. Entries never expire:
/// a cached answer is part of a run's record.
/// </summary>
/// <param name="read">False for <c>--no-cache</c>: every call goes to the model and its fresh answer
/// replaces the cached one, so a later cached run never serves the stale answer again.</param>
internal sealed class SqliteResponseCache(RunStore store, bool read = true) : IDistributedCache
{
    /// <summary>
    /// Whether the store may hold answers under keys of Microsoft.Extensions.AI's own form (written before AdaptLab keyed
    /// them itself), which a read that misses then tries too.
    /// </summary>
    public bool MayHoldOldKeys => read && store.HoldsOldCacheKeys;

    public byte[]? Get(string key) => read ? store.GetCached(key) : null;

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => store.SetCached(key, value);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Set(key, value, options);
        return Task.CompletedTask;
    }

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => store.RemoveCached(key);

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }
}
