using System.Text.Json;
using AdaptLab.Abstractions;
using AdaptLab.Core.Decision;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Models;
using AdaptLab.Core.Readiness;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Training;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Core.Ladder;

/// <summary>
/// <c>adaptlab run</c>: climbs the ladder the way a careful team would. Every rung is a variant of one run, so all answer
/// the same frozen items with the same decoding settings and chat template and pair per item. The climb stops at the
/// first rung that meets the targets (unless <see cref="LadderOptions.All"/>); fine-tuning is tried only when the
/// cheaper rungs missed and the data is ready. Then the probes find why the prompt rung's items fail, and the study
/// freezes its recommendation. Each step is stored as it ends, so a killed climb resumes at its rung and item.
/// </summary>
internal sealed class LadderRunner(RunStore store, ModelProviders providers)
{
    public async Task<StudyReport> RunAsync(TaskDefinition task, LadderOptions options, CancellationToken cancellationToken = default)
    {
        var plan = LadderPlan.Create(task);
        var study = options.Resume ? store.FindUnfinishedStudy(task.SourcePath) ?? throw new NothingToResumeException(task.SourcePath) : null;
        var rows = study is null ? PlannedRows(plan) : Check(store.GetStudyRungs(study.Id), plan, task);
        ReadinessReport? readiness = null;
        string? met = null;
        foreach (var rung in plan.Rungs)
        {
            var row = rows[rung.Spec.Name];
            if (row.Status.Known is RungStatus.Measured)
            {
                met ??= study is not null && MeetsTargets(store, study.RunId, rung.Spec.Name) ? rung.Spec.Name : null;
                continue;
            }

            if (row.Status.Known is RungStatus.Skipped)
            {
                continue;
            }

            var skip = met is not null && !options.All ? new RungSkip(SkipReason.TargetsMet, [met])
                : task.Ladder.LocalOnly && ModelReference.Parse(rung.Spec.Model.Reference).Provider != "local"
                    ? new RungSkip(SkipReason.LocalOnly, [rung.Spec.Model.Reference])
                    : null;
            if (skip is null && rung.Training is { } training)
            {
                readiness ??= ReadinessCheck.Run(task);
                skip = readiness.Verdict == Verdict.NotReady
                    ? new RungSkip(SkipReason.DataNotReady, [string.Join("; ", StudyReadiness.Of(readiness).Blockers)])
                    : null;
                if (skip is null)
                {
                    options.Rungs?.Report(new RungUpdate(rung.Spec.Name, RungStep.Training));
                    var (record, overBudget) = await TrainAsync(task, training, options, cancellationToken);
                    skip = overBudget;
                    row = row with { Training = record is null ? null : JsonSerializer.Serialize(record, StoredJson.Options) };
                }
            }

            if (skip is not null)
            {
                Save(study, rows, row with { Status = RungStatus.Skipped, Skip = skip });
                options.Rungs?.Report(new RungUpdate(rung.Spec.Name, RungStep.Skipped, skip.Text));
                continue;
            }

            options.Rungs?.Report(new RungUpdate(rung.Spec.Name, RungStep.Measuring));
            study = await EvaluateAsync(plan, study, rows, [rung.Spec.Name], options, cancellationToken);
            Save(study, rows, row with { Status = RungStatus.Measured });
            options.Rungs?.Report(new RungUpdate(rung.Spec.Name, RungStep.Measured));
            met ??= MeetsTargets(store, study.RunId, rung.Spec.Name) ? rung.Spec.Name : null;
        }

        if (study is null)
        {
            throw new InputException(task.SourcePath, null, "ladder", "no rung could be measured: " +
                string.Join("; ", rows.Values.Where(r => r.Skip is not null).Select(r => $"{r.Rung}: {r.Skip!.Text}")));
        }

        var probes = plan.Probes.Select(p => p.Spec.Name).ToList();
        if (probes.Count > 0 && PromptRungFails(study))
        {
            options.Rungs?.Report(new RungUpdate("diagnosis", RungStep.Measuring));
            study = await EvaluateAsync(plan, study, rows, probes, options, cancellationToken);
            options.Rungs?.Report(new RungUpdate("diagnosis", RungStep.Measured));
        }
        else
        {
            probes.Clear();
        }

        if (plan.Rungs.Any(r => r.Training is not null))
        {
            readiness ??= ReadinessCheck.Run(task);
            store.SetStudyReadiness(study.Id, JsonSerializer.Serialize(StudyReadiness.Of(readiness), StoredJson.Options));
        }

        var measured = rows.Values.Where(r => r.Status.Known is RungStatus.Measured).Select(r => r.Rung).Concat(probes).ToHashSet();
        var unused = plan.Task.Variants.Select(v => v.Name).Where(v => !measured.Contains(v)).ToList();
        var report = StudyReportBuilder.Build(store, store.FindStudy(study.Id)!, unused);
        store.FinishStudy(study.Id, study.RunId, unused, JsonSerializer.Serialize(report.Recommendation, StoredJson.Options));
        store.CompleteRun(study.RunId);
        return report with { Study = store.FindStudy(study.Id)! };
    }

    private static Dictionary<string, StudyRung> PlannedRows(LadderPlan plan) =>
        plan.Rungs.Select(r => new StudyRung((int)r.Kind, r.Spec.Name, r.SourceVariant, RungStatus.Planned, null, null))
            .Concat(plan.Unavailable.Select(u => new StudyRung((int)u.Kind, u.Kind.Name(), string.Empty, RungStatus.Skipped, u.Reason, null)))
            .ToDictionary(r => r.Rung);

    /// <summary>A resumed study must climb the same rungs, made from the same variants.</summary>
    private static Dictionary<string, StudyRung> Check(IReadOnlyList<StudyRung> stored, LadderPlan plan, TaskDefinition task)
    {
        var planned = PlannedRows(plan);
        if (stored.Count != planned.Count || stored.Any(s => !planned.TryGetValue(s.Rung, out var p) || p.SourceVariant != s.SourceVariant))
        {
            throw new InputException(task.SourcePath, null, "ladder", "the ladder's rungs changed since the study started; run without --resume to start a new one");
        }

        return stored.ToDictionary(r => r.Rung);
    }

    private void Save(StudyInfo? study, Dictionary<string, StudyRung> rows, StudyRung row)
    {
        rows[row.Rung] = row;
        if (study is not null)
        {
            store.SaveStudyRung(study.Id, row);
        }
    }

    /// <summary>Evaluates variants of the study's run; the first call creates the run, and the study with it, before any model call.</summary>
    private async Task<StudyInfo> EvaluateAsync(
        LadderPlan plan, StudyInfo? study, Dictionary<string, StudyRung> rows, IReadOnlyList<string> variants, LadderOptions options, CancellationToken cancellationToken)
    {
        var created = study;
        EvalOutcome outcome;
        try
        {
            outcome = await new EvalRunner(store, providers, options.Eval).RunAsync(plan.Task, new EvalOptions(
                Variants: variants, Ingest: options.Ingest, RunId: study?.RunId, RegisterAll: true, Started: runId =>
                {
                    if (created is null)
                    {
                        var settings = JsonSerializer.Serialize(new StudySettings(plan.Task.Ladder.Costs, plan.Task.Ladder.Diagnose), StoredJson.Options);
                        created = new StudyInfo(runId, plan.Task.SourcePath, plan.Task.Name, runId, options.All, settings, DateTimeOffset.UtcNow);
                        store.CreateStudy(created, [.. rows.Values]);
                    }
                }), cancellationToken);
        }
        catch (InputException e) when (e.Field is { } field && plan.Rungs.FirstOrDefault(r => field.StartsWith($"variants.{r.Spec.Name}", StringComparison.Ordinal)) is { } rung)
        {
            // The run's variants are named after rungs; the user wrote the variant the rung was made from.
            throw new InputException(e.File, e.Line, $"variants.{rung.SourceVariant}{field[$"variants.{rung.Spec.Name}".Length..]}", $"{e.Problem} (the ladder's {rung.Spec.Name} rung)");
        }

        if (outcome.Variants.FirstOrDefault(v => v.Errors > 0) is { } failed)
        {
            throw new LadderIncompleteException(
                $"{failed.Errors} call(s) of {failed.Variant} failed (first: {failed.FirstError}); `adaptlab run --resume` retries only those items");
        }

        return created!;
    }

    /// <summary>Trains the rung's model, or reuses the one trained before from the same inputs; continues a killed training.</summary>
    /// <returns>The training record, or the reason the rung is skipped (the budget ran out).</returns>
    private async Task<(TrainingRecord? Record, RungSkip? Skip)> TrainAsync(TaskDefinition task, PlannedTraining training, LadderOptions options, CancellationToken cancellationToken)
    {
        var recordPath = Path.Combine(training.Folder, FinetuneRunner.RecordFile);
        if (File.Exists(recordPath))
        {
            return (JsonSerializer.Deserialize<TrainingRecord>(File.ReadAllText(recordPath), StoredJson.Options), null);
        }

        var minutes = Budget(task, training.Settings);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (minutes is { } limit)
        {
            budget.CancelAfter(TimeSpan.FromMinutes(limit));
        }

        try
        {
            var resume = Directory.Exists(Path.Combine(training.Folder, TrainingFolders.Checkpoint));
            var record = await FinetuneRunner.RunAsync(task, training.Variant, training.Folder, training.Settings.Options, providers, options.Training,
                budget.Token, resume, store);
            return (record, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new RungSkip(SkipReason.BudgetSpent, [$"{minutes:0.#}"]));
        }
    }

    /// <summary>The training budget in minutes: the tighter of the time limit and the money limit at the training price.</summary>
    private static double? Budget(TaskDefinition task, FinetuneSpec settings)
    {
        var byCost = settings.MaxCost is { } cost && task.Ladder.Costs.TrainingPerHour is > 0 and var price ? cost / price * 60 : (double?)null;
        return (settings.MaxMinutes, byCost) switch
        {
            ({ } a, { } b) => Math.Min(a, b),
            ({ } a, null) => a,
            (null, var b) => b,
        };
    }

    private static bool MeetsTargets(RunStore store, string runId, string variant) =>
        ReportBuilder.Build(store, store.FindRun(runId)!).Gates.Where(g => g.Variant == variant).ToList() is { Count: > 0 } gates && gates.All(g => g.Passed);

    private bool PromptRungFails(StudyInfo study)
    {
        var run = store.FindRun(study.RunId)!;
        var prompt = RungKind.Prompt.Name();
        var scores = store.GetScores(run.Id).Where(s => s.Variant == prompt).ToList();
        return scores.Count == 0 || StudyReportBuilder.FailingItems(run, scores).Count > 0;
    }
}

/// <summary>Some of a rung's model calls failed: the climb stops there, and <c>run --resume</c> retries them.</summary>
internal sealed class LadderIncompleteException(string message) : Exception(message);

/// <summary>What a study freezes of the task file's ladder section when it starts.</summary>
internal sealed record StudySettings(CostSpec Costs, DiagnoseSpec Diagnose);

/// <summary>The training data's verdict as the recommendation cites it.</summary>
internal sealed record StudyReadiness(Verdict Verdict, IReadOnlyList<string> Blockers)
{
    public static StudyReadiness Of(ReadinessReport report) =>
        new(report.Verdict, [.. report.Findings.Where(f => f.Severity == Severity.Blocker).Select(f => f.Message)]);
}
