using AdaptLab.Abstractions;

namespace AdaptLab.Core.Tasks;

/// <summary>
/// How <c>adaptlab run</c> climbs (the task file's <c>ladder</c> section): the variant behind each rung, how the fine-tuned
/// rung trains, the diagnosis probes, prices and constraints. Every part is optional: rungs are inferred from the variants.
/// </summary>
/// <param name="Prompt">The zero-shot rung's variant; null: the first variant with neither few-shot nor retrieval.</param>
/// <param name="FewShot">null: the first variant with few-shot examples.</param>
/// <param name="Rag">null: the first variant with a retrieve step.</param>
/// <param name="Oracle">A variant with the gold context in its prompt: not a rung, a probe (an item it passes closed-book fails is a knowledge gap).</param>
/// <param name="LocalOnly">Data may not leave the machine: rungs on remote models are not climbed.</param>
internal sealed record LadderSpec(
    string? Prompt,
    string? FewShot,
    string? Rag,
    string? Oracle,
    FinetuneSpec? Finetune,
    DiagnoseSpec Diagnose,
    CostSpec Costs,
    bool LocalOnly)
{
    public static readonly LadderSpec Default = new(null, null, null, null, new FinetuneSpec(null, new TrainingOptions(60, 16, 1e-3, WarmupSteps: 6), null), DiagnoseSpec.Default, CostSpec.None, false);
}

/// <param name="Variant">The variant whose rendering and local model are trained; null: the prompt rung's.</param>
/// <param name="MaxMinutes">The training budget: a training that runs longer is stopped and the rung is not measured.</param>
/// <param name="MaxCost">The budget in money: minutes at <see cref="CostSpec.TrainingPerHour"/>.</param>
internal sealed record FinetuneSpec(string? Variant, TrainingOptions Options, double? MaxMinutes, double? MaxCost = null);

/// <param name="Samples">Answers drawn per item at <paramref name="Temperature"/> to measure consistency (0: none).</param>
/// <param name="Paraphrases">Prompt files that say the prompt rung's instruction in other words.</param>
/// <param name="Constrained">Also answer under the task's json_schema enforced while decoding, to measure the format rate it reaches.</param>
internal sealed record DiagnoseSpec(int Samples, float Temperature, IReadOnlyList<string> Paraphrases, bool Constrained)
{
    public static readonly DiagnoseSpec Default = new(3, 0.8f, [], true);
}

/// <param name="TrainingPerHour">Price of an hour of the machine that trains.</param>
/// <param name="ServingPerHour">Price of an hour of the machine that serves local models (one request at a time).</param>
/// <param name="HostingPerMonth">What a fine-tuned model's dedicated deployment costs each month.</param>
/// <param name="AmortizeMonths">Months the training cost is spread over in the break-even.</param>
internal sealed record CostSpec(double? TrainingPerHour, double? ServingPerHour, double HostingPerMonth, double AmortizeMonths)
{
    public static readonly CostSpec None = new(null, null, 0, 12);
}
