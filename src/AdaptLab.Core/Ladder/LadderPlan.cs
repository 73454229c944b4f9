using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AdaptLab.Abstractions;
using AdaptLab.Core.Decision;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Retrieval.Ingest;

namespace AdaptLab.Core.Ladder;

/// <summary>A rung the climb may measure: the task file's variant it is made from, as the variant the study's run evaluates.</summary>
/// <param name="Spec">The variant in the run, named after the rung; a fine-tuned rung's model is the trained folder.</param>
/// <param name="Training">Where and how a fine-tuned rung's model is trained; null for the prompted rungs.</param>
internal sealed record PlannedRung(RungKind Kind, string SourceVariant, VariantSpec Spec, PlannedTraining? Training);

/// <param name="Variant">The task file's variant whose rendering and local model are trained.</param>
/// <param name="Folder">Named after the training's inputs (data, prompt, context steps and the corpus they search, base model, settings, trainer revision), so the same inputs reuse one trained model.</param>
internal sealed record PlannedTraining(VariantSpec Variant, string Folder, FinetuneSpec Settings);

/// <summary>An experiment on the prompt rung that tells why its items fail; a variant of the run too, but never a rung.</summary>
internal sealed record Probe(ProbeKind Kind, VariantSpec Spec);

/// <summary>The rungs and probes of a task's ladder, and the task whose variants they are.</summary>
internal sealed class LadderPlan
{
    private LadderPlan(TaskDefinition task, List<PlannedRung> rungs, List<Probe> probes, List<(RungKind, RungSkip)> unavailable)
    {
        Rungs = rungs;
        Probes = probes;
        Unavailable = unavailable;
        Task = task with { Variants = [.. rungs.Select(r => r.Spec), .. probes.Select(p => p.Spec)] };
    }

    public IReadOnlyList<PlannedRung> Rungs { get; }

    public IReadOnlyList<Probe> Probes { get; }

    /// <summary>Rungs the task cannot have, with the reason (no few-shot variant, no corpus, no train split).</summary>
    public IReadOnlyList<(RungKind Kind, RungSkip Reason)> Unavailable { get; }

    /// <summary>The task as the study's run sees it: its variants are the rungs and the probes.</summary>
    public TaskDefinition Task { get; }

    /// <param name="trainerRevision">Part of the fine-tuned rung's folder name (<see cref="TrainerRevision"/>): another trainer trains afresh.</param>
    /// <exception cref="InputException">The task has no variant for the zero-shot rung.</exception>
    public static LadderPlan Create(TaskDefinition task, int trainerRevision = TrainerRevision.Current)
    {
        var ladder = task.Ladder;
        // The gold-context probe's prompt holds what production never has, so no rung is inferred from it.
        VariantSpec? Pick(string? named, Func<VariantSpec, bool> inferred) =>
            named is not null ? task.Variant(named) : task.Variants.FirstOrDefault(v => v.Name != ladder.Oracle && inferred(v));

        var prompt = Pick(ladder.Prompt, v => v.Shots is null && v.Retrieve is null)
            ?? throw new InputException(task.SourcePath, null, "ladder.prompt",
                "the ladder starts from a zero-shot variant (no shots, no retrieve); add one or name it in ladder.prompt");
        var fewShot = Pick(ladder.FewShot, v => v.Shots is not null && v.Retrieve is null);
        var rag = Pick(ladder.Rag, v => v.Retrieve is not null);
        var rungs = new List<PlannedRung> { Rung(RungKind.Prompt, prompt) };
        var unavailable = new List<(RungKind, RungSkip)>();
        if (fewShot is not null)
        {
            rungs.Add(Rung(RungKind.FewShot, fewShot));
        }
        else
        {
            unavailable.Add((RungKind.FewShot, new RungSkip(SkipReason.NoFewShot)));
        }

        if (rag is not null)
        {
            rungs.Add(Rung(RungKind.Rag, rag));
        }
        else
        {
            unavailable.Add((RungKind.Rag, new RungSkip(task.Corpus is null ? SkipReason.NoCorpus : SkipReason.NoRetrieve)));
        }

        var training = Training(task, prompt, unavailable, trainerRevision);
        if (training is not null)
        {
            var tuned = training.Variant.Model with { Reference = "local:" + training.Folder };
            // A model trained on retrieved context is still measured closed-book on the fine-tuned rung, so the two
            // fine-tuned rungs never measure the same variant twice.
            var closedBook = training.Variant.Retrieve is null ? training.Variant : prompt;
            rungs.Add(new PlannedRung(RungKind.FineTuned, closedBook.Name,
                closedBook with { Name = RungKind.FineTuned.Name(), ModelName = RungKind.FineTuned.Name(), Model = tuned }, training));
            if (rag is not null)
            {
                rungs.Add(new PlannedRung(RungKind.FineTunedRag, rag.Name,
                    rag with { Name = RungKind.FineTunedRag.Name(), ModelName = RungKind.FineTuned.Name(), Model = tuned }, training));
            }
        }

        return new LadderPlan(task, rungs, PlanProbes(task, prompt), unavailable);
    }

    private static PlannedRung Rung(RungKind kind, VariantSpec variant) => new(kind, variant.Name, variant with { Name = kind.Name() }, null);

    private static PlannedTraining? Training(TaskDefinition task, VariantSpec prompt, List<(RungKind, RungSkip)> unavailable, int trainerRevision)
    {
        if (task.Ladder.Finetune is not { } settings)
        {
            unavailable.Add((RungKind.FineTuned, new RungSkip(SkipReason.FineTuningOff)));
            return null;
        }

        if (task.Data.Train is null)
        {
            unavailable.Add((RungKind.FineTuned, new RungSkip(SkipReason.NoTrainSplit)));
            return null;
        }

        var variant = settings.Variant is { } name ? task.Variant(name) : prompt;
        if (variant.Name == task.Ladder.Oracle)
        {
            unavailable.Add((RungKind.FineTuned, new RungSkip(SkipReason.GoldContextVariant, [variant.Name])));
            return null;
        }

        if (ModelReference.Parse(variant.Model.Reference).Provider != "local")
        {
            unavailable.Add((RungKind.FineTuned, new RungSkip(SkipReason.NotLocalModel, [variant.Name, variant.Model.Reference])));
            return null;
        }

        var inputs = JsonSerializer.Serialize(new
        {
            train = Hash(File.ReadAllBytes(task.Data.Train)),
            prompt = Hash(File.ReadAllBytes(variant.PromptPath)),
            variant.System,
            model = variant.Model.Reference,
            settings.Options,
            trainer = trainerRevision,
        });
        // Context steps join the inputs only where the variant has them, so a closed-book model trained before keeps its folder.
        if (variant.Shots is not null || variant.Retrieve is not null)
        {
            inputs += JsonSerializer.Serialize(new
            {
                variant.Shots,
                retrieve = variant.Retrieve is { } retrieve ? new { retrieve, corpus = CorpusFingerprint.Compute(task.Corpus!.Source) } : null,
            });
        }
        var folder = Path.Combine(Path.GetDirectoryName(task.SourcePath)!, ".adaptlab", "ladder", $"{task.Name}-{Hash(Encoding.UTF8.GetBytes(inputs))[..12]}");
        return new PlannedTraining(variant, folder, settings);
    }

    private static List<Probe> PlanProbes(TaskDefinition task, VariantSpec prompt)
    {
        var diagnose = task.Ladder.Diagnose;
        var probes = new List<Probe>();
        if (task.Ladder.Oracle is { } oracle)
        {
            probes.Add(new Probe(ProbeKind.Oracle, task.Variant(oracle) with { Name = ProbeKinds.VariantName(ProbeKind.Oracle) }));
        }

        for (var i = 1; i <= diagnose.Samples; i++)
        {
            probes.Add(new Probe(ProbeKind.Sample, prompt with
            {
                Name = ProbeKinds.VariantName(ProbeKind.Sample, i),
                Generation = prompt.Generation with { Temperature = diagnose.Temperature, Seed = i },
            }));
        }

        probes.AddRange(diagnose.Paraphrases.Select((path, i) => new Probe(ProbeKind.Paraphrase, prompt with { Name = ProbeKinds.VariantName(ProbeKind.Paraphrase, i + 1), PromptPath = path })));
        if (diagnose.Constrained && prompt.Generation.JsonSchema is null && SchemaOf(task) is { } schema)
        {
            probes.Add(new Probe(ProbeKind.Constrained, prompt with { Name = ProbeKinds.VariantName(ProbeKind.Constrained), Generation = prompt.Generation with { JsonSchema = schema } }));
        }

        return probes;
    }

    /// <summary>The schema of the task's json_schema metric, which constrained decoding enforces; null without one.</summary>
    private static JsonElement? SchemaOf(TaskDefinition task)
    {
        var options = task.Metrics.FirstOrDefault(m => m.Name == "json_schema")?.Options;
        var text = options?.Values.GetValueOrDefault("schema") ?? (options?.Values.GetValueOrDefault("schema_path") is { } path ? File.ReadAllText(path) : null);
        return text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
