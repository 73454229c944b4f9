using Microsoft.Extensions.AI;

namespace AdaptLab;

/// <summary>How <see cref="AdaptLabEval"/> runs a task: the settings of <c>adaptlab eval</c>, and the models a C# caller supplies.</summary>
public sealed record EvalRunOptions
{
    /// <summary>
    /// The run store (a SQLite file, created if missing) that keeps the run, every prediction and score, and the response
    /// cache. Null: <c>$ADAPTLAB_STORE</c>, else <c>.adaptlab/adaptlab.db</c> under the current directory, as the CLI's
    /// <c>--store</c>; the CLI's commands (<c>adaptlab show</c>, <c>report</c>, <c>compare</c>) read runs made here.
    /// </summary>
    public string? StorePath { get; init; }

    /// <summary>
    /// Answer a call asked before (same messages, parameters and model identity) from the store's response cache, as the CLI
    /// does by default; false asks the model for every item, as <c>--no-cache</c>. Answers are written to the cache either way.
    /// </summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Only these variants, by name, as <c>--variant</c>; null or empty runs every variant.</summary>
    public IReadOnlyList<string>? Variants { get; init; }

    /// <summary>
    /// Your own clients for models the task file names, keyed by model name (<see cref="AdaptLabTask.Models"/>: a key of
    /// <c>models</c>, or a reference a variant names directly). A variant naming such a model asks the client instead of the
    /// reference's provider, so no key or endpoint is needed; other models open as in the CLI (<c>local:</c> models need the
    /// CLI's engine add-on, so supply a client for them here).
    /// </summary>
    /// <remarks>
    /// The client is called as an in-process model: up to the task's <c>concurrency</c> calls at once (it must be thread-safe),
    /// without the retries, rate limits and timeout of remote models; it is never disposed. Its answers are cached under its
    /// identity, not the task file's reference: its <c>AdaptLab.Abstractions.IModelIdentity</c> service where it offers one,
    /// else its type and <see cref="ChatClientMetadata"/>. A client whose answers change while that identity stays the same
    /// (a scripted test model) needs <see cref="UseCache"/> false, or a store of its own, or an identity of its own.
    /// </remarks>
    public IReadOnlyDictionary<string, IChatClient>? ChatClients { get; init; }
}
