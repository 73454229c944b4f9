using System.Text.Json;
using AdaptLab.Core.Decision;
using AdaptLab.Core.Diagnosis;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Training;
using AdaptLab.Metrics;
using AdaptLab.Metrics.Retrieval;
using AdaptLab.Core.Evidence;
using AdaptLab.Core.Prediction;

namespace AdaptLab.Core.Ladder;

/// <summary>
/// Reads a study back from the store and measures what the recommendation needs: each rung's primary metric with its
/// interval, its paired lift over the best cheaper rung (Holm across the ladder), each failing item's category from the
/// probes, the costs per request and of training, and the break-even volume.
/// </summary>
internal static class StudyReportBuilder
{
    /// <param name="ignore">Variants of the run left out (rungs not climbed and probes not run, before the study drops them).</param>
    public static StudyReport Build(RunStore store, StudyInfo study, IReadOnlyCollection<string>? ignore = null)
    {
        var run = store.FindRun(study.RunId) ?? throw new InvalidOperationException($"the study's run {study.RunId} is not in the store");
        var data = RunData.Load(store, run);
        var report = ReportBuilder.Build(store, run);
        var settings = JsonSerializer.Deserialize<StudySettings>(study.Settings, StoredJson.Options)!;
        var readiness = study.Readiness is { } r ? JsonSerializer.Deserialize<StudyReadiness>(r, StoredJson.Options) : null;
        var metrics = run.Config.CreateMetrics().ToList();
        var primary = run.Config.CreatePrimaryMetric();
        var fullScale = MetricCatalog.FullScale(primary);
        var rows = store.GetStudyRungs(study.Id);
        var measured = rows.Where(row => row.Status.Known is RungStatus.Measured && ignore?.Contains(row.Rung) != true).OrderBy(row => row.Ordinal).ToList();
        var scores = store.GetScores(run.Id).ToLookup(s => (s.Variant, s.Metric));
        var passed = data.Variants.ToDictionary(v => v.Name, v => Passed(scores[(v.Name, primary.Name)], fullScale));

        var lifts = Lifts(data, primary, measured.Select(m => m.Rung).ToList(), report);
        // A stored variant's name says whether it is a probe, and of which kind: read once here, asked by kind below.
        var probes = data.Variants.Where(v => ignore?.Contains(v.Name) != true)
            .Select(v => (v.Name, Kind: ProbeKinds.Of(v.Name))).Where(p => p.Kind is not null).Select(p => (p.Name, Kind: p.Kind!.Value)).ToList();
        var evidence = measured.ToDictionary(row => row.Rung, row =>
        {
            var kind = RungKinds.Parse(row.Rung);
            var variant = report.Variants.Single(v => v.Name == row.Rung);
            var value = variant.Metrics.FirstOrDefault(m => m.Metric == primary.Name);
            var gates = report.Gates.Where(g => g.Variant == row.Rung).ToList();
            var failures = Diagnose(data, kind, row.Rung, passed, scores, probes, measured, settings.Diagnose);
            return new RungEvidence(kind, row.Rung, value?.Value ?? double.NaN, value?.Lower, value?.Upper, value?.N ?? 0,
                gates.Count == 0 ? null : gates.All(g => g.Passed), [.. gates.Where(g => !g.Passed).Select(g => Missed(report, g))],
                lifts.GetValueOrDefault(row.Rung), Cost(data, variant, row, settings.Costs), failures)
            {
                Temperature = JsonSerializer.Deserialize<GenerationSettings>(variant.Parameters)?.Temperature,
                Others = variant.Metrics.Where(m => m.Metric != primary.Name).ToDictionary(m => m.Metric, m => m.Value),
            };
        });

        var breakEven = BreakEvenOf(data, primary, evidence.Values.ToList(), settings.Costs);
        var target = run.Config.MetricTargets.TryGetValue(primary.Name, out var t) ? t : (double?)null;
        var constrainedName = probes.FirstOrDefault(p => p.Kind is ProbeKind.Constrained).Name;
        var constrainedProbe = report.Variants.FirstOrDefault(v => v.Name == constrainedName);
        var schemaMetric = SchemaMetric(run.Config);
        // The probe meets the targets only where the format is the judged metric with a target of its own, and every target is met.
        var constrained = constrainedProbe?.Metrics.FirstOrDefault(m => m.Metric == schemaMetric) is { } format
            ? new ConstrainedProbe(format.Metric, format.Value, format.Lower, format.Upper,
                primary.Name == format.Metric && run.Config.MetricTargets.ContainsKey(format.Metric) &&
                report.Gates.Where(g => g.Variant == constrainedProbe.Name).All(g => g.Passed),
                [.. constrainedProbe.Metrics.Where(m => m.Metric != format.Metric).Select(m =>
                    new ProbeMetric(m.Metric, m.Value, run.Config.FullScale(m.Metric), metrics.First(x => x.Name == m.Metric).HigherIsBetter))])
            : null;
        var input = new DecisionInput(primary.Name, primary.HigherIsBetter, fullScale, [.. measured.Select(m => evidence[m.Rung])],
            [.. rows.Where(row => row.Status.Known is not RungStatus.Measured).OrderBy(row => row.Ordinal).Select(row => (RungKinds.Parse(row.Rung), row.Skip))],
            readiness?.Verdict, readiness?.Blockers ?? [], breakEven, constrained);
        var recommendation = study.Recommendation is { } frozen
            ? JsonSerializer.Deserialize<Recommendation>(frozen, StoredJson.Options)!
            : Recommender.Decide(input);

        var rungs = rows.OrderBy(row => row.Ordinal).Select(row => new RungReport(row.Rung, row.SourceVariant, row.Status, row.Skip,
            data.Variants.FirstOrDefault(v => v.Name == row.Rung)?.ModelRef, evidence.GetValueOrDefault(row.Rung))).ToList();
        var probeResults = probes.SelectMany(p => report.Variants.Single(v => v.Name == p.Name).Metrics
            .Select(m => new ProbeResult(p.Name, ProbeKinds.StoredWord(p.Name), m.Metric, m.Value, m.Lower, m.Upper, m.N, run.Config.FullScale(m.Metric)))).ToList();
        return new StudyReport(study, run.Id, run.TaskName, primary.Name, primary.HigherIsBetter, fullScale, target, rungs, probeResults, breakEven, readiness, recommendation)
        {
            Assumptions =
            [
                $"Every rung answered the same {data.Items.Count} frozen test items with the same decoding settings; rungs are compared paired by item.",
                $"{primary.Name}'s intervals are 95%: {report.Variants.FirstOrDefault()?.Metrics.FirstOrDefault(m => m.Metric == primary.Name)?.Method ?? "as the run's"}; items are assumed independent draws from the task's population.",
                "A rung's lift is against the best cheaper rung measured, with the paired test of the metric's shape (exact McNemar for pass/fail metrics, else a paired bootstrap), Holm-adjusted across the ladder.",
                "An item passes a rung when its primary-metric score is perfect. Failure categories: format (the parser could not read the reply), knowledge gap (the gold or retrieved context fixes it), inconsistency (a sample at temperature or a paraphrase passes it while the rung's reply fails), else capability gap (no experiment passes it); shares carry " + FailureMix.Method + ".",
                "Costs per 1,000 requests use the price table's token prices and, for local models with costs.serving_per_hour, the mean latency as machine time (one request at a time). Training cost is the measured training time at costs.training_per_hour.",
                "The break-even spreads the training cost over costs.amortize_months and adds costs.hosting_per_month; it compares money, and shows the quality difference beside it.",
            ],
        };
    }

    private const string JsonSchemaValidName = "json_schema";

    /// <summary>The name the run's scores give its json_schema metric (its alias, where it has one).</summary>
    private static string SchemaMetric(RunConfig config) => config.Metrics.FirstOrDefault(m => m.Name == JsonSchemaValidName)?.Key ?? JsonSchemaValidName;

    /// <summary>The items of a variant that fail (<see cref="FullMarks"/>) on the primary metric.</summary>
    public static IReadOnlyList<int> FailingItems(RunInfo run, IReadOnlyList<ScoreRecord> variantScores)
    {
        var primary = run.Config.CreatePrimaryMetric();
        var full = MetricCatalog.FullScale(primary);
        return [.. variantScores.Where(s => s.Metric == primary.Name && !FullMarks.Passes(s.Value, full)).Select(s => s.ItemIndex)];
    }

    private static HashSet<int> Passed(IEnumerable<ScoreRecord> scores, double fullScale) =>
        [.. scores.Where(s => FullMarks.Passes(s.Value, fullScale)).Select(s => s.ItemIndex)];

    /// <summary>"exact_match 0.0 &lt; 25.0", on the report's 0-100 scale like every other number of the study.</summary>
    private static string Missed(RunReport report, GateResult gate)
    {
        var (target, actual) = RunText.GateValues(report, gate);
        return $"{gate.Name} {actual} {(gate.AtMost ? ">" : "<")} {target}";
    }

    /// <summary>Each measured rung against the best cheaper one, paired on the items both answered; Holm across them.</summary>
    private static Dictionary<string, Lift> Lifts(RunData data, IMetric primary, IReadOnlyList<string> rungs, RunReport report)
    {
        double Value(string rung) => report.Variants.Single(v => v.Name == rung).Metrics.FirstOrDefault(m => m.Metric == primary.Name)?.Value ?? double.NaN;
        var family = new ComparisonFamily<(string Rung, string Baseline)>();
        for (var i = 1; i < rungs.Count; i++)
        {
            var cheaper = rungs.Take(i).Where(r => !double.IsNaN(Value(r))).ToList();
            if (cheaper.Count == 0)
            {
                continue;
            }

            var baseline = primary.HigherIsBetter ? cheaper.MaxBy(Value)! : cheaper.MinBy(Value)!;
            family.Add((rungs[i], baseline), [primary], data, rungs[i], data, baseline, discordance: true);
        }

        return family.Adjusted().Select(f => new Lift(f.Key.Rung, f.Key.Baseline, f.Result.Difference, f.Result.Lower, f.Result.Upper, f.Result.PValue, f.AdjustedP,
            f.Result.N, f.Test.Discordance, f.Method)).ToDictionary(l => l.Variant);
    }

    private static FailureMix Diagnose(
        RunData data, RungKind kind, string rung, Dictionary<string, HashSet<int>> passed, ILookup<(string, string), ScoreRecord> scores,
        IReadOnlyList<(string Name, ProbeKind Kind)> probes, IReadOnlyList<StudyRung> measured, DiagnoseSpec diagnose)
    {
        var oracle = probes.FirstOrDefault(p => p.Kind is ProbeKind.Oracle).Name;
        var rag = kind is RungKind.Rag or RungKind.FineTunedRag ? null : measured.FirstOrDefault(m => m.Rung == RungKind.Rag.Name())?.Rung;
        var spread = kind == RungKind.Prompt
            ? probes.Where(p => p.Kind is ProbeKind.Sample or ProbeKind.Paraphrase).ToList()
            : [];
        var schemaMetric = SchemaMetric(data.Run.Config);
        var schemaScores = scores.Contains((rung, schemaMetric)) ? scores[(rung, schemaMetric)].ToDictionary(s => s.ItemIndex, s => s.Value) : null;
        var signals = data.Succeeded(rung).Select(p =>
        {
            bool? withContext = oracle is null && rag is null ? null
                : (oracle is not null && passed[oracle].Contains(p.ItemIndex)) || (rag is not null && passed[rag].Contains(p.ItemIndex));
            bool? sometimes = spread.Count == 0 ? null : spread.Any(s => passed[s.Name].Contains(p.ItemIndex));
            var formatValid = data.MatchLabel(p.Output!) is { } label ? label.Kind != LabelMatchKind.Invalid
                : schemaScores is null || FullMarks.Passes(schemaScores.GetValueOrDefault(p.ItemIndex, 0), MetricCatalog.FullScale(JsonSchemaValidName));
            return new ItemSignals(p.ItemIndex, passed[rung].Contains(p.ItemIndex), formatValid, withContext, sometimes);
        }).ToList();

        var measuredBy = new List<string> { data.Run.Config.Labels is { Count: > 0 } ? "format: the label set" : schemaScores is not null ? "format: json_schema" : "format: parsed replies" };
        if (oracle is not null)
        {
            measuredBy.Add("knowledge: the gold context");
        }

        if (rag is not null)
        {
            measuredBy.Add("knowledge: retrieval");
        }

        if (spread.Count > 0)
        {
            var samples = spread.Count(s => s.Kind is ProbeKind.Sample);
            measuredBy.Add(FormattableString.Invariant($"reliability: {samples} samples at temperature {diagnose.Temperature:0.##}, {spread.Count - samples} paraphrases"));
        }

        return FailureMix.Of(signals, measuredBy);
    }

    private static RungCost Cost(RunData data, VariantReport variant, StudyRung row, CostSpec costs)
    {
        var succeeded = data.Succeeded(row.Rung);
        double? Mean(IEnumerable<double> values) => values.ToList() is { Count: > 0 } list ? list.Average() : null;
        var retrieval = Mean(succeeded.Select(p => RetrievedContext.Chunks(p.Context)).Where(c => c is not null)
            .Select(c => (double)c!.Sum(chunk => AdaptLab.Retrieval.Ingest.TokenChunker.Count(chunk.Text))));
        var local = ModelReference.Parse(variant.ModelRef).Provider == "local";
        var serving = local && costs.ServingPerHour is { } perHour && Mean(succeeded.Select(p => p.LatencyMs)) is { } ms ? ms / 3_600_000 * perHour * 1000 : (double?)null;
        double? per1k = (variant.CostPer1k, serving) switch
        {
            (null, null) => null,
            var (tokens, machine) => (tokens ?? 0) + (machine ?? 0),
        };
        var training = row.Training is { } json ? JsonSerializer.Deserialize<TrainingRecord>(json, StoredJson.Options) : null;
        return new RungCost(
            Mean(succeeded.Where(p => p.InputTokens is not null).Select(p => (double)p.InputTokens!.Value)),
            Mean(succeeded.Where(p => p.OutputTokens is not null).Select(p => (double)p.OutputTokens!.Value)),
            retrieval,
            per1k,
            variant.LatencyP50Ms,
            variant.LatencyP95Ms,
            training?.Seconds,
            training is not null && costs.TrainingPerHour is { } price ? training.Seconds / 3600 * price : null,
            training?.Model);
    }

    /// <summary>
    /// The fine-tuned rung that meets the targets (else the best one) against the cheapest prompted rung that meets them
    /// (else the best prompted one); null unless both have a price per request.
    /// </summary>
    private static BreakEven? BreakEvenOf(RunData data, IMetric primary, IReadOnlyList<RungEvidence> rungs, CostSpec costs)
    {
        RungEvidence? Pick(IEnumerable<RungEvidence> candidates)
        {
            var list = candidates.Where(r => r.Cost.CostPer1k is not null && !double.IsNaN(r.Value)).ToList();
            return list.FirstOrDefault(r => r.MeetsTargets == true) ?? (primary.HigherIsBetter ? list.MaxBy(r => r.Value) : list.MinBy(r => r.Value));
        }

        var tuned = Pick(rungs.Where(r => r.Kind.IsFineTuned()));
        var prompted = Pick(rungs.Where(r => !r.Kind.IsFineTuned()));
        if (tuned is null || prompted is null)
        {
            return null;
        }

        var (a, b) = PairedTest.Pair(data, tuned.Variant, data, prompted.Variant);
        var quality = PairedTest.Run(primary, a, b, discordance: true) is { } c
            ? new Lift(tuned.Variant, prompted.Variant, c.Result.Difference, c.Result.Lower, c.Result.Upper, c.Result.PValue, c.Result.PValue, c.Result.N, c.Discordance, c.Result.Method + " (unadjusted)")
            : null;
        var fixedPerMonth = ((tuned.Cost.TrainingCost ?? 0) / costs.AmortizeMonths) + costs.HostingPerMonth;
        return BreakEven.Compute(tuned.Variant, prompted.Variant, fixedPerMonth, tuned.Cost.CostPer1k!.Value, prompted.Cost.CostPer1k!.Value, quality);
    }
}
