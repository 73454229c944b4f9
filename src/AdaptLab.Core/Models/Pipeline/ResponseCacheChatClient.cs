using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AdaptLab.Core.Store;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace AdaptLab.Core.Models.Pipeline;

/// <summary>
/// Microsoft.Extensions.AI's distributed response cache that marks the answers it serves from the cache, so the
/// caller can tell them from model calls by the response alone (<see cref="IsCacheHit"/>), and that keys them more cheaply.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.AI's key rebuilds every value as a JSON tree with its properties sorted before hashing it, which
/// cost more than everything else AdaptLab does for a call (half the harness's time with the cache on). This key hashes
/// the same values (messages, options, the variant's identity) as Microsoft.Extensions.AI serializes them, straight from
/// the serializer: a request is built by one code path, so its property order is already fixed. Stores written before
/// hold keys of the old form; where a store may hold any, a read that misses tries the old key too.
/// </remarks>
internal sealed class ResponseCacheChatClient(IChatClient inner, IDistributedCache storage) : DistributedCachingChatClient(inner, storage)
{
    private const string HitKey = "adaptlab.cache_hit";

    /// <summary>Names this form of key, so no key of it can equal one of another.</summary>
    private const string KeyPrefix = "v2:";

    /// <summary>Joins the key a read may fall back to (the old form) to the key of this form.</summary>
    private const char OldKeySeparator = '|';

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? keyBuffer;

    private readonly IDistributedCache answers = storage;

    /// <summary>The stored form's type info, for the options it was made from; one reference, so threads swap it whole.</summary>
    private CompactForm? compact;

    private readonly bool mayHoldOldKeys = storage is not SqliteResponseCache { MayHoldOldKeys: false };

    public static bool IsCacheHit(ChatResponse response) => response.AdditionalProperties?.ContainsKey(HitKey) == true;

    protected override string GetCacheKey(IEnumerable<ChatMessage> messages, ChatOptions? options, params ReadOnlySpan<object?> additionalValues)
    {
        var buffer = keyBuffer ??= new ArrayBufferWriter<byte>();
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var any = JsonSerializerOptions.GetTypeInfo(typeof(object));
            foreach (var value in (object?[])[messages, options, .. additionalValues, .. CacheKeyAdditionalValues ?? []])
            {
                JsonSerializer.Serialize(writer, value, any);
                writer.Flush();
                writer.Reset();
            }
        }

        var key = KeyPrefix + Convert.ToHexString(SHA256.HashData(buffer.WrittenSpan));
        return mayHoldOldKeys ? key + OldKeySeparator + base.GetCacheKey(messages, options, additionalValues) : key;
    }

    protected override async Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        var (current, old) = Split(key);
        var response = await base.ReadCacheAsync(current, cancellationToken) ??
            (old is null ? null : await base.ReadCacheAsync(old, cancellationToken));
        if (response is not null)
        {
            (response.AdditionalProperties ??= [])[HitKey] = true;
        }

        return response;
    }

    /// <summary>
    /// Stores the answer as Microsoft.Extensions.AI does, without its indentation (its default options indent, which made
    /// every stored answer about half whitespace); any JSON reads back the same.
    /// </summary>
    protected override Task WriteCacheAsync(string key, ChatResponse value, CancellationToken cancellationToken) =>
        answers.SetAsync(Split(key).Current, JsonSerializer.SerializeToUtf8Bytes(value, CompactTypeInfo(JsonSerializerOptions)), new(), cancellationToken);

    private JsonTypeInfo CompactTypeInfo(JsonSerializerOptions options)
    {
        var form = compact;
        if (form?.Options != options)
        {
            compact = form = new CompactForm(options, new JsonSerializerOptions(options) { WriteIndented = false }.GetTypeInfo(typeof(ChatResponse)));
        }

        return form.TypeInfo;
    }

    private sealed record CompactForm(JsonSerializerOptions Options, JsonTypeInfo TypeInfo);

    private static (string Current, string? Old) Split(string key) => key.IndexOf(OldKeySeparator) is var at and >= 0
        ? (key[..at], key[(at + 1)..])
        : (key, null);
}
