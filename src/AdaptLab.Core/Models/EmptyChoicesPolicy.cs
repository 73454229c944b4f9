using System.ClientModel.Primitives;
using System.Text.Json;

namespace AdaptLab.Core.Models;

/// <summary>
/// Names a completion with an empty <c>choices</c> array (some servers send one when a filter or an
/// overload swallows the answer), which the OpenAI SDK otherwise reports as an index out of range.
/// </summary>
internal sealed class EmptyChoicesPolicy : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ProcessNext(message, pipeline, currentIndex);
        Check(message.Response);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        await ProcessNextAsync(message, pipeline, currentIndex);
        Check(message.Response);
    }

    private static void Check(PipelineResponse? response)
    {
        // Streams are left alone: their chunks may carry no choices by design (the usage chunk).
        if (response is null || response.Status != 200 || ContentType(response) is not "application/json")
        {
            return;
        }

        response.BufferContent();
        try
        {
            using var json = JsonDocument.Parse(response.Content.ToMemory());
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("choices", out var choices) &&
                choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() == 0)
            {
                throw new InvalidOperationException("the provider answered with no choices (an empty 'choices' array): no reply to score");
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: the SDK reports it in its own words.
        }

        static string? ContentType(PipelineResponse r) =>
            r.Headers.TryGetValue("Content-Type", out var type) ? type?.Split(';')[0].Trim().ToLowerInvariant() : null;
    }
}
