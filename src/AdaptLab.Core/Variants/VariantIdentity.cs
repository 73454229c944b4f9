using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Abstractions;
using AdaptLab.Core.Prompts;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Variants;

/// <summary>
/// What makes two variants the same: the prompt version, the system text, every step's configuration (with the
/// content hash of the train split it draws from), the model's identity and the generation parameters. The
/// variant's name is not part of it. Stored with the run and added to the response-cache key.
/// </summary>
internal static class VariantIdentity
{
    public static string Compute(string promptHash, string? system, string pipeline, string model, string parameters) =>
        "sha256:" + PromptTemplate.Sha256(JsonSerializer.Serialize(new[] { promptHash, system ?? string.Empty, pipeline, model, parameters }));

    /// <summary>The steps' configuration as JSON: <c>{}</c> without steps.</summary>
    /// <param name="trainHash">The content hash of the train split, when the variant draws examples from it.</param>
    /// <param name="search">For <c>select: search</c>, what it chose on the dev split and how each candidate scored.</param>
    /// <param name="retriever">The retrieve step's identity (method, settings, index version, encoder), as JSON.</param>
    public static string Pipeline(ShotsSpec? shots, string? trainHash, string? encoder, ShotSearchResult? search = null, string? retriever = null)
    {
        var steps = new JsonObject();
        if (shots is not null)
        {
            steps["shots"] = JsonSerializer.SerializeToNode(new
            {
                select = shots.Select.ToString().ToLowerInvariant(),
                k = shots.K,
                seed = shots.Seed,
                ids = shots.Ids,
                @as = shots.Placement.ToString().ToLowerInvariant(),
                train = trainHash,
                encoder = shots.Select == ShotSelection.Nearest ? encoder : null,
                candidates = shots.Select == ShotSelection.Search ? shots.Candidates : (int?)null,
                search = search is null ? null : new
                {
                    metric = search.Metric,
                    dev = search.DevHash,
                    chosen = search.Chosen,
                    scores = search.Candidates.Select(c => new { ids = c.Ids, score = double.IsNaN(c.Score) ? (double?)null : c.Score, answered = c.Answered }),
                },
            });
        }

        if (retriever is not null)
        {
            steps["retrieve"] = JsonNode.Parse(retriever);
        }

        return steps.ToJsonString();
    }

    /// <summary>
    /// The model's own identity where it has one (an in-process model's files: moving the folder keeps it,
    /// retraining into it does not), else its reference and endpoint.
    /// </summary>
    public static string Model(ModelSpec spec, IChatClient client) =>
        client.GetService<IModelIdentity>()?.Identity ?? $"{spec.Reference} {spec.Endpoint}".TrimEnd();
}
