using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Models;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Secrets;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using AdaptLab.Metrics.Evaluation;
using AdaptLab.Metrics.Judges;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Core.Judging;

/// <summary>
/// <c>adaptlab judge</c>: the task's judges over a run's outputs, through Microsoft.Extensions.AI.Evaluation evaluators
/// (<see cref="RubricJudgeEvaluator"/>, <see cref="PairwiseJudgeEvaluator"/>) and the model pipeline (cache, retries,
/// limits). Each verdict is stored as it arrives, with the reply; a judge asked again skips what it already judged.
/// </summary>
internal sealed class JudgeRunner(RunStore store, ModelProviders providers, IProgress<EvalProgress>? progress = null)
{
    public async Task RunAsync(RunInfo run, IReadOnlyList<JudgeSpec> judges, int concurrency, CancellationToken cancellationToken = default)
    {
        var data = RunData.Load(store, run);
        var done = store.GetJudgements(run.Id).Select(j => (j.Judge, j.Variant, j.ItemIndex, j.Repeat, j.JudgeHash)).ToHashSet();
        foreach (var judge in judges)
        {
            var rubric = await File.ReadAllTextAsync(judge.RubricPath, cancellationToken);
            var hash = Hash(JsonSerializer.Serialize(new { rubric, model = judge.Model.Reference, judge.Min, judge.Max, judge.PairwiseBaseline, judge.Temperature, judge.Seed }));
            using var model = providers.Create(judge.Model);
            using var client = ModelPipeline.Build(model, new ModelPipelineOptions(
                Hash(VariantIdentity.Model(judge.Model, model) + "\n" + hash), new SqliteResponseCache(store, read: true), RemoteCallOptions.For(judge.Model, concurrency)));
            var configuration = new ChatConfiguration(client);
            var baseline = judge.PairwiseBaseline is { } b ? data.Succeeded(b).ToDictionary(p => p.ItemIndex) : null;
            var jobs = (from variant in data.Variants.Where(v => v.Name != judge.PairwiseBaseline)
                        from prediction in data.Succeeded(variant.Name)
                        where baseline is null || baseline.ContainsKey(prediction.ItemIndex)
                        from repeat in Enumerable.Range(0, judge.Repeats)
                        where !done.Contains((judge.Name, variant.Name, prediction.ItemIndex, repeat, hash))
                        select (Prediction: prediction, Repeat: repeat)).ToList();
            var finished = 0;
            await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (job, ct) =>
            {
                var item = data.Item(job.Prediction.ItemIndex);
                var options = new ChatOptions { Temperature = judge.Temperature, Seed = job.Repeat };
                var conversation = new[] { new ChatMessage(ChatRole.User, item.Input) };
                var context = new List<EvaluationContext> { new MetricReferenceContext(item.Expected.Count > 0 ? item.Expected : [string.Empty], item.Fields) };
                bool? shownSecond = null;
                IEvaluator evaluator;
                if (baseline is not null)
                {
                    shownSecond = ItemRandom.For(judge.Seed, $"{item.Id}\n{job.Prediction.Variant}").Next(2) == 1;
                    context.Add(new PairwiseContext(baseline[item.Index].Output!, shownSecond.Value));
                    evaluator = new PairwiseJudgeEvaluator(judge.Name, rubric, options);
                }
                else
                {
                    evaluator = new RubricJudgeEvaluator(judge.Name, rubric, judge.Min, judge.Max, options);
                }

                JudgementRecord record;
                try
                {
                    var result = await evaluator.EvaluateAsync(conversation, new ChatResponse(new ChatMessage(ChatRole.Assistant, data.Parse(job.Prediction.Output!))), configuration, context, ct);
                    var metric = result.Get<NumericMetric>(judge.Name);
                    var error = metric.Diagnostics?.FirstOrDefault(d => d.Severity == EvaluationDiagnosticSeverity.Error)?.Message;
                    record = new JudgementRecord(judge.Name, job.Prediction.Variant, item.Index, job.Repeat, metric.Value, error, metric.Reason ?? string.Empty, shownSecond, hash);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // The judge's call failed (after the pipeline's retries): no verdict, counted with the parse failures.
                    record = new JudgementRecord(judge.Name, job.Prediction.Variant, item.Index, job.Repeat, null,
                        SecretRedactor.FromEnvironment().Redact($"the judge's call failed: {e.GetType().Name}: {e.Message}"), string.Empty, shownSecond, hash);
                }

                store.SaveJudgement(run.Id, record);
                progress?.Report(new EvalProgress($"judge {judge.Name}", Interlocked.Increment(ref finished), jobs.Count, 0));
            });
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
