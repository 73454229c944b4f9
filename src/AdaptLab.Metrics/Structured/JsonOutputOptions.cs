namespace AdaptLab.Metrics.Structured;

/// <param name="AllowFence">
/// Accept JSON inside a Markdown code fence (<c>```json ... ```</c>), as chat models often write it.
/// Off by default so <c>json_valid</c> measures whether the model emits bare JSON as asked.
/// </param>
public sealed record JsonOutputOptions(bool AllowFence = false)
{
    public static JsonOutputOptions From(MetricOptions options) => new(options.GetBool("allow_fence", false));
}
