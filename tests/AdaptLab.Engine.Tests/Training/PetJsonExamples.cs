using AdaptLab.Abstractions;
using AdaptLab.Tests.Support;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine.Tests.Training;

/// <summary>The first items of examples/pet-json/train.jsonl as training examples, prompted as its zero-shot prompt does.</summary>
internal static class PetJsonExamples
{
    public static List<TrainingExample> Take(int count) =>
        [.. File.ReadLines(RepoPaths.Path("examples", "pet-json", "train.jsonl")).Take(count)
            .Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!)
            .Select(n => new TrainingExample([new ChatMessage(ChatRole.User, $"Text: {(string)n["text"]!}\nJSON:")], (string)n["json"]!))];
}
