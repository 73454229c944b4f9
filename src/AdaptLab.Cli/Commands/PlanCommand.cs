using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AdaptLab.Cli.Output;
using AdaptLab.Metrics.Statistics;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>adaptlab plan</c>: how many test items a comparison needs, or what a given number can detect.
/// Paired designs (every variant on the same items, as <c>eval</c> runs them) need the discordance
/// rate, the share of items two variants disagree on; <c>--from RUN</c> takes it and the baseline
/// from a pilot run's first two variants.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var baseline = new Option<double?>("--baseline") { Description = "Baseline proportion (e.g. accuracy 0.72)" };
        var effect = new Option<double?>("--effect") { Description = "Improvement to detect, in proportion points (e.g. 0.05)" };
        var n = new Option<int?>("--n") { Description = "Items available: report the minimum detectable effect instead" };
        var discordance = new Option<double?>("--discordance") { Description = "Paired design: share of items the two variants disagree on" };
        var from = new Option<string?>("--from") { Description = "Pilot run: baseline and discordance from its first two variants" };
        var alpha = new Option<double>("--alpha") { Description = "Two-sided significance level", DefaultValueFactory = _ => 0.05 };
        var power = new Option<double>("--power") { Description = "Power", DefaultValueFactory = _ => 0.8 };
        var command = new Command("plan", "Sample size for a target effect, or the minimum detectable effect for n items")
        {
            baseline, effect, n, discordance, from, alpha, power,
        };
        command.SetAction(parse =>
        {
            var (p0, disc, source) = (parse.GetValue(baseline), parse.GetValue(discordance), (string?)null);
            if (parse.GetValue(from) is { } runId)
            {
                using var store = StoreAccess.Open(parse, options);
                var pilot = Pilot(ReportBuilder.Build(store, StoreAccess.FindRun(store, runId)));
                p0 ??= pilot.Baseline;
                disc ??= pilot.Discordance;
                source = pilot.Source;
            }

            if (p0 is null)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, "plan needs --baseline (a proportion in [0, 1]) or --from RUN");
            }

            if (p0 is not (>= 0 and <= 1))
            {
                return CliApp.Fail(context, ExitCodes.BadInput, $"--baseline must be a proportion in [0, 1], got {p0}");
            }

            if (p0 == 1)
            {
                return CliApp.Fail(context, ExitCodes.BadInput,
                    $"the baseline is already 1{(source is null ? string.Empty : $" ({source})")}: every item is right, so there is no improvement to detect; plan with a harder test set");
            }

            if (disc == 0)
            {
                return CliApp.Fail(context, ExitCodes.BadInput,
                    $"the discordance is 0{(source is null ? string.Empty : $" ({source}): the pilot's variants agree on every item")}, so no paired test can tell them apart; give --discordance from a pilot where they differ");
            }

            if (parse.GetValue(effect) is { } wanted && p0 + wanted > 1)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, $"--effect {wanted} over a baseline of {Format.Value(p0)} goes past 1");
            }

            if (parse.GetValue(effect) is null == parse.GetValue(n) is null)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, "plan needs exactly one of --effect (to get a sample size) or --n (to get the detectable effect)");
            }

            PowerPlan plan;
            try
            {
                plan = (parse.GetValue(effect), parse.GetValue(n), disc) switch
                {
                    ({ } d, null, { } r) => PowerAnalysis.PairedBinarySampleSize(r, d, parse.GetValue(alpha), parse.GetValue(power)),
                    ({ } d, null, null) => PowerAnalysis.TwoProportionsSampleSize(p0.Value, p0.Value + d, parse.GetValue(alpha), parse.GetValue(power)),
                    (null, { } items, { } r) => PowerAnalysis.PairedBinaryMinimumEffect(r, items, parse.GetValue(alpha), parse.GetValue(power)),
                    (null, { } items, null) => PowerAnalysis.TwoProportionsMinimumEffect(p0.Value, items, parse.GetValue(alpha), parse.GetValue(power)),
                    _ => throw new ArgumentException("unreachable"),
                };
            }
            catch (ArgumentException e)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, e.Message);
            }

            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                    new PlanJson(p0, disc, source, plan.SampleSize, double.IsNaN(plan.Effect) ? null : plan.Effect, plan.Alpha, plan.Power, plan.Method),
                    JsonOutput.Compact));
                return ExitCodes.Ok;
            }

            if (source is not null)
            {
                context.Out.MarkupLineInterpolated($"[grey]from {source}[/]");
            }

            var what = parse.GetValue(n) is null
                ? $"{plan.SampleSize} items{(disc is null ? " per variant" : " (each scored by both variants)")} detect {Format.Signed(plan.Effect)} over {Format.Value(p0)}"
                : double.IsNaN(plan.Effect)
                    ? $"{plan.SampleSize} items cannot detect any improvement over {Format.Value(p0)}"
                    : $"{plan.SampleSize} items detect {Format.Signed(plan.Effect)} or more over {Format.Value(p0)}";
            context.Out.MarkupLineInterpolated($"{what} with power {plan.Power.ToString("0.##", CultureInfo.InvariantCulture)} at alpha {plan.Alpha.ToString("0.###", CultureInfo.InvariantCulture)}");
            context.Out.MarkupLineInterpolated($"[grey]{plan.Method}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Baseline: the first variant's first metric with pass/fail items (a proportion, or pass@k, whose
    /// items are samples that pass or fail); discordance: items where the first two variants' outcomes differ.
    /// </summary>
    private static (double? Baseline, double? Discordance, string Source) Pilot(RunReport report)
    {
        var first = report.Variants.FirstOrDefault()
            ?? throw new InputException(report.Run.Id, null, null, "the run has no variants");
        bool PassFail(string name) => report.Items.All(i => i.Outputs.All(o => o.Scores.GetValueOrDefault(name) is not { } s || s.Value is 0 or 1));
        var metric = first.Metrics.FirstOrDefault(m => m.Method?.Contains("Wilson", StringComparison.Ordinal) == true)
            ?? first.Metrics.FirstOrDefault(m => PassFail(m.Metric) && report.Items.Any(i => i.Outputs.Any(o => o.Scores.ContainsKey(m.Metric))))
            ?? throw new InputException(report.Run.Id, null, null, "the run has no metric with pass/fail items (accuracy, exact_match, pass_at_1, ...) to plan with");
        double? discordance = null;
        if (report.Variants.Count > 1)
        {
            var second = report.Variants[1].Name;
            var pairs = report.Items
                .Select(i => (A: i.Outputs.First(o => o.Variant == first.Name).Scores.GetValueOrDefault(metric.Metric),
                              B: i.Outputs.First(o => o.Variant == second).Scores.GetValueOrDefault(metric.Metric)))
                .Where(p => p.A is not null && p.B is not null)
                .ToList();
            discordance = pairs.Count == 0 ? null : pairs.Count(p => p.A!.Value != p.B!.Value) / (double)pairs.Count;
        }

        return (metric.Value, discordance, $"run {report.Run.Id}: {metric.Metric} of {first.Name}" +
            (discordance is null ? string.Empty : $", discordance with {report.Variants[1].Name}"));
    }
}

/// <summary>What <c>plan --json</c> prints.</summary>
/// <param name="Pilot">The run the baseline and discordance came from, if one did.</param>
/// <param name="Effect">The effect detected; null when no effect can be.</param>
internal sealed record PlanJson(double? Baseline, double? Discordance, string? Pilot, int SampleSize, double? Effect, double Alpha, double Power, string Method);
