using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Core.Items;
using AdaptLab.Core.Models;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Training;

internal enum ExportFormat
{
    /// <summary>OpenAI chat fine-tuning JSONL: <c>{"messages": [...]}</c>, the answer as the last assistant turn.</summary>
    OpenAi,

    /// <summary>TRL's conversational prompt-completion JSONL: <c>{"prompt": [...], "completion": [...]}</c>, so SFTTrainer's loss is on the completion only.</summary>
    Trl,

    /// <summary>Axolotl's <c>chat_template</c> dataset (<c>messages</c>) and an axolotl.yaml that trains on the assistant turn only.</summary>
    Axolotl,

    /// <summary>LLaMA-Factory's ShareGPT layout (<c>conversations</c> of from/value) and the dataset_info.json that describes it.</summary>
    LlamaFactory,
}

/// <summary>
/// A split rendered through a variant's own pipeline (prompt, system text, context steps: what the eval sends) with the
/// expected answers, in the layouts external trainers read, so a model trained on a GPU cluster sees the same prompts.
/// </summary>
internal static class TrainingDataExport
{
    public const string DatasetName = "adaptlab";

    /// <returns>The files written.</returns>
    /// <exception cref="InputException">The split is missing.</exception>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        TaskDefinition task, VariantSpec variant, string split, ExportFormat format, string folder, ModelProviders providers, CancellationToken cancellationToken)
    {
        var path = split switch { "train" => task.Data.Train, "dev" => task.Data.Dev, "test" => task.Data.Test, _ => null }
            ?? throw new InputException(task.SourcePath, null, $"data.{split}", $"the task has no {split} split to export");
        var data = DatasetLoader.Load(path, task.Data);
        List<(IReadOnlyList<ChatMessage> Prompt, string Answer)> conversations;
        // Fields are cut and retrieval budgets counted in a local model's own tokens as the eval does, which needs the model.
        var counts = task.Data.Truncate is { Count: > 0 } || variant.Retrieve?.Options.TokenBudget is not null;
        using (var client = counts && ModelReference.Parse(variant.Model.Reference).Provider == "local" ? providers.Create(variant.Model) : null)
        {
            conversations = await RenderedExamples.RenderAsync(task, variant, data, providers, client, cancellationToken);
        }

        Directory.CreateDirectory(folder);
        var dataFile = Path.Combine(folder, $"{task.Name}-{split}.jsonl");
        await File.WriteAllLinesAsync(dataFile, conversations.Select(c => Line(format, c.Prompt, c.Answer).ToJsonString(Readable)), cancellationToken);
        var written = new List<string> { dataFile };
        if (format == ExportFormat.Axolotl)
        {
            var config = Path.Combine(folder, "axolotl.yaml");
            await File.WriteAllTextAsync(config, $"""
                # Written by adaptlab export-data from {Path.GetFileName(task.SourcePath)}, variant {variant.Name}: the eval's prompts, the answers as assistant turns.
                base_model: {Yaml(ModelReference.Parse(variant.Model.Reference).Name)}   # the model the variant evaluates; set a hub id or a path here
                chat_template: tokenizer_default
                datasets:
                  - path: {Path.GetFileName(dataFile)}
                    type: chat_template
                    field_messages: messages
                    roles_to_train: ["assistant"]
                output_dir: ./outputs/{task.Name}
                adapter: lora
                lora_r: 16
                lora_alpha: 32
                lora_target_linear: true

                """, cancellationToken);
            written.Add(config);
        }
        else if (format == ExportFormat.LlamaFactory)
        {
            var info = Path.Combine(folder, "dataset_info.json");
            var description = new JsonObject
            {
                [DatasetName] = new JsonObject
                {
                    ["file_name"] = Path.GetFileName(dataFile),
                    ["formatting"] = "sharegpt",
                    ["columns"] = new JsonObject { ["messages"] = "conversations", ["system"] = "system" },
                    ["tags"] = new JsonObject { ["role_tag"] = "from", ["content_tag"] = "value", ["user_tag"] = "human", ["assistant_tag"] = "gpt" },
                },
            };
            await File.WriteAllTextAsync(info, description.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken);
            written.Add(info);
        }

        return written;
    }

    private static JsonObject Line(ExportFormat format, IReadOnlyList<ChatMessage> prompt, string answer)
    {
        static JsonObject Turn(ChatRole role, string text) => new() { ["role"] = role.Value, ["content"] = text };
        var turns = prompt.Select(m => Turn(m.Role, m.Text)).ToList();
        switch (format)
        {
            case ExportFormat.Trl:
                return new JsonObject { ["prompt"] = new JsonArray([.. turns]), ["completion"] = new JsonArray(Turn(ChatRole.Assistant, answer)) };
            case ExportFormat.LlamaFactory:
                var line = new JsonObject();
                if (prompt.FirstOrDefault(m => m.Role == ChatRole.System) is { } system)
                {
                    line["system"] = system.Text;
                }

                line["conversations"] = new JsonArray([.. prompt.Where(m => m.Role != ChatRole.System)
                    .Select(m => (JsonNode)new JsonObject { ["from"] = m.Role == ChatRole.User ? "human" : "gpt", ["value"] = m.Text })
                    .Append(new JsonObject { ["from"] = "gpt", ["value"] = answer })]);
                return line;
            default:
                return new JsonObject { ["messages"] = new JsonArray([.. turns, Turn(ChatRole.Assistant, answer)]) };
        }
    }

    private static string Yaml(string text) => JsonSerializer.Serialize(text, Readable);

    /// <summary>Apostrophes, accents and other text as written, not \u escapes: the files are read by people too.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
