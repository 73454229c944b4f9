namespace AdaptLab.Core.Models.Pipeline;

/// <summary>
/// What one logical call has cost so far, shared by the call recorder's two stages: <see cref="CallRecordingChatClient"/>
/// opens it outside the retries, <see cref="AttemptTimingChatClient"/> adds each attempt that reaches the model. A call's
/// attempts run one after another.
/// </summary>
internal sealed class CallRecord
{
    private static readonly AsyncLocal<CallRecord?> OpenRecord = new();

    /// <summary>The record of the call this code runs in, or null outside a <see cref="CallRecordingChatClient"/>.</summary>
    public static CallRecord? Current => OpenRecord.Value;

    public bool ModelCalled { get; private set; }

    /// <summary>Milliseconds spent in the model's attempts so far, failed and timed-out ones included.</summary>
    public double AttemptsMs { get; private set; }

    /// <summary>
    /// Opens a record for everything the caller awaits from here on. Call it from an async method: what an async method
    /// writes to an <see cref="AsyncLocal{T}"/> never reaches its caller, so the record closes with the call.
    /// </summary>
    public static CallRecord Open() => OpenRecord.Value = new CallRecord();

    public void AddAttempt(double milliseconds)
    {
        ModelCalled = true;
        AttemptsMs += milliseconds;
    }
}
