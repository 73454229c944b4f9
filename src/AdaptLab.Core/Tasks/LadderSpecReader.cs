using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Abstractions;

namespace AdaptLab.Core.Tasks;

/// <summary>Reads the task file's <c>ladder</c> section (the schema has checked its shape) and checks what refers elsewhere.</summary>
internal static class LadderSpecReader
{
    /// <param name="fail">Throws the task file's error at a JSON pointer.</param>
    public static LadderSpec Read(JsonObject? ladder, string baseDir, IReadOnlyList<VariantSpec> variants, Action<string, string> fail)
    {
        if (ladder is null)
        {
            return LadderSpec.Default;
        }

        string? Variant(string key)
        {
            var name = ladder[key]?.GetValue<string>();
            if (name is not null && variants.All(v => v.Name != name))
            {
                fail($"/ladder/{key}", $"no variant '{name}' (variants: {string.Join(", ", variants.Select(v => v.Name))})");
            }

            return name;
        }

        var diagnose = ladder["diagnose"] as JsonObject ?? [];
        var paraphrases = (diagnose["paraphrases"] as JsonArray ?? []).Select((p, i) =>
        {
            var full = Path.GetFullPath(Path.Combine(baseDir, p!.GetValue<string>()));
            if (!File.Exists(full))
            {
                fail($"/ladder/diagnose/paraphrases/{i}", $"prompt file not found: {full}");
            }

            return full;
        }).ToList();
        var costs = ladder["costs"] as JsonObject ?? [];
        return new LadderSpec(
            Variant("prompt"),
            Variant("few_shot"),
            Variant("rag"),
            Variant("oracle"),
            ladder["finetune"] switch
            {
                JsonObject o => ReadFinetune(o, variants, fail),
                JsonValue v when v.GetValueKind() == JsonValueKind.False => null,
                _ => LadderSpec.Default.Finetune,
            },
            new DiagnoseSpec(
                diagnose["samples"]?.GetValue<int>() ?? DiagnoseSpec.Default.Samples,
                diagnose["temperature"]?.GetValue<float>() ?? DiagnoseSpec.Default.Temperature,
                paraphrases,
                diagnose["constrained"]?.GetValue<bool>() ?? DiagnoseSpec.Default.Constrained),
            new CostSpec(
                costs["training_per_hour"]?.GetValue<double>(),
                costs["serving_per_hour"]?.GetValue<double>(),
                costs["hosting_per_month"]?.GetValue<double>() ?? 0,
                costs["amortize_months"]?.GetValue<double>() ?? CostSpec.None.AmortizeMonths),
            ladder["local_only"]?.GetValue<bool>() ?? false);
    }

    private static FinetuneSpec ReadFinetune(JsonObject o, IReadOnlyList<VariantSpec> variants, Action<string, string> fail)
    {
        var variant = o["variant"]?.GetValue<string>();
        if (variant is not null && variants.All(v => v.Name != variant))
        {
            fail("/ladder/finetune/variant", $"no variant '{variant}' (variants: {string.Join(", ", variants.Select(v => v.Name))})");
        }

        static string[] List(JsonNode? node) => node is JsonArray a ? [.. a.Select(n => n!.GetValue<string>())] : [];
        LoraOptions? lora = null;
        if (o["lora_rank"]?.GetValue<int>() is > 0 and var rank)
        {
            lora = new LoraOptions(rank, o["lora_alpha"]?.GetValue<double>() ?? 2.0 * rank, o["lora_dropout"]?.GetValue<double>() ?? 0,
                o["lora_target"] is JsonArray ? List(o["lora_target"]) : [.. LoraOptions.AllProjections], List(o["modules_to_save"]));
            try
            {
                lora.Validate();
            }
            catch (ArgumentException e)
            {
                fail("/ladder/finetune", e.Message);
            }
        }

        var steps = o["steps"]?.GetValue<int>() ?? 60;
        var options = new TrainingOptions(
            Steps: steps,
            BatchSize: o["batch"]?.GetValue<int>() ?? 16,
            LearningRate: o["lr"]?.GetValue<double>() ?? 1e-3,
            WarmupSteps: Math.Max(1, steps / 10),
            Seed: o["seed"]?.GetValue<int>() ?? 0,
            Lora: lora,
            Bf16: o["bf16"]?.GetValue<bool>() ?? false);
        return new FinetuneSpec(variant, options, o["max_minutes"]?.GetValue<double>(), o["max_cost"]?.GetValue<double>());
    }
}
