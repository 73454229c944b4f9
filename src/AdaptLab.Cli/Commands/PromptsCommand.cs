using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Store;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>adaptlab prompts</c>: every prompt version in the store (its content hash) with the scores of the runs
/// that used it; <c>prompts diff A B</c>: the text diff and B's paired difference from A on the same items.
/// </summary>
internal static class PromptsCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Option<string?>("--task") { Description = "Only the prompts of this task (its name)" };
        var command = new Command("prompts", "List every prompt version with the metrics of the runs that used it") { task };
        command.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var uses = store.GetPromptUses().Where(u => parse.GetValue(task) is not { } name || u.TaskName == name).ToList();
            var versions = uses.GroupBy(u => u.Hash).Select(g => (Uses: g.ToList(), Latest: g.Last())).OrderBy(v => v.Latest.StartedAt).ToList();
            var scores = versions.ToDictionary(v => v.Latest, v => Scores(store, v.Latest));
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                    versions.Select(v => new PromptVersionJson(
                        v.Latest.Hash,
                        v.Latest.Path,
                        v.Latest.Parent,
                        v.Latest.TaskName,
                        [.. v.Uses.Select(u => new PromptUseJson(u.RunId, u.Variant))],
                        new PromptScoresJson(v.Latest.RunId, v.Latest.Variant, scores[v.Latest]))),
                    JsonReport.Options));
                return ExitCodes.Ok;
            }

            if (versions.Count == 0)
            {
                context.Out.MarkupLine("[grey]no prompts yet: they are recorded when `adaptlab eval TASK` runs[/]");
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("version", "parent", "prompt", "task", "uses", "latest run · variant", "scores there (0-100, 95% CI)");
            foreach (var (versionUses, latest) in versions)
            {
                table.AddRow(
                    latest.Hash[..12], latest.Parent?[..12] ?? "–", Markup.Escape(Path.GetFileName(latest.Path)), Markup.Escape(latest.TaskName),
                    versionUses.Count.ToString(CultureInfo.InvariantCulture), Markup.Escape($"{latest.RunId} · {latest.Variant}"),
                    Markup.Escape(string.Join("  ", scores[latest].Select(m => $"{m.Metric} {Format.Points(m.Value)} {Format.PointsInterval(m.Lower, m.Upper)}"))));
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(CreateDiff(context, options));
        return command;
    }

    private static Command CreateDiff(CliContext context, GlobalOptions options)
    {
        var a = new Argument<string>("version-a") { Description = "The earlier version (a hash prefix from `adaptlab prompts`)" };
        var b = new Argument<string>("version-b") { Description = "The later version" };
        var command = new Command("diff", "Show how version B differs from A in text and, on the items both were run on, in scores") { a, b };
        command.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var uses = store.GetPromptUses();
            var useA = Latest(store, uses, parse.GetValue(a)!);
            var useB = Latest(store, uses, parse.GetValue(b)!);
            var comparison = RunComparer.Compare(store, StoreAccess.FindRun(store, useA.RunId), StoreAccess.FindRun(store, useB.RunId), [(useA.Variant, useB.Variant)]);
            var diff = InlineDiffBuilder.Diff(useA.Text, useB.Text, ignoreWhiteSpace: false);
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                    new PromptDiffJson(
                        useA.Hash,
                        useB.Hash,
                        [.. diff.Lines.Select(l => new DiffLineJson(l.Type.ToString().ToLowerInvariant(), l.Text))],
                        useA.RunId,
                        useA.Variant,
                        useB.RunId,
                        useB.Variant,
                        comparison.Rows),
                    JsonReport.Options));
                return ExitCodes.Ok;
            }

            context.Out.MarkupLineInterpolated($"[bold]{useB.Hash[..12]}[/] against [bold]{useA.Hash[..12]}[/] ({useA.Path})");
            foreach (var line in diff.Lines)
            {
                var (mark, style) = line.Type switch
                {
                    ChangeType.Inserted => ("+ ", "green"),
                    ChangeType.Deleted => ("- ", "red"),
                    _ => ("  ", "grey"),
                };
                context.Out.MarkupLine($"[{style}]{Markup.Escape(mark + line.Text)}[/]");
            }

            context.Out.MarkupLineInterpolated($"scores: {useB.RunId} · {useB.Variant} against {useA.RunId} · {useA.Variant}, paired by item id");
            if (comparison.Rows.Count == 0)
            {
                context.Out.MarkupLine("[yellow]no items in common with at least 2 answers: run both versions on the same test items to compare them[/]");
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("metric", "A", "B", "B − A (95% CI)", "p (Holm)", "n");
            foreach (var r in comparison.Rows)
            {
                table.AddRow(Markup.Escape(r.Metric), Format.Value(r.ValueA), Format.Value(r.ValueB),
                    Markup.Escape($"{Format.Signed(r.Difference)} {Format.Interval(r.Lower, r.Upper)}"), Format.PValue(r.AdjustedPValue),
                    r.N.ToString(CultureInfo.InvariantCulture));
            }

            context.Out.Write(table);
            context.Out.MarkupLine($"[grey]{Markup.Escape(comparison.Rows[0].Method)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The newest use of the one version whose hash starts with <paramref name="prefix"/>.</summary>
    private static PromptUse Latest(RunStore store, IReadOnlyList<PromptUse> uses, string prefix)
    {
        var matches = uses.Where(u => u.Hash.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Select(u => u.Hash).Distinct().Count() switch
        {
            0 => throw new InputException(store.Path, null, null, $"no prompt version starts with '{prefix}' (see `adaptlab prompts`)"),
            1 => matches[^1],
            _ => throw new InputException(store.Path, null, null, $"'{prefix}' is the start of several prompt versions; give more of the hash"),
        };
    }

    /// <summary>The variant's metric results on the 0-100 report scale.</summary>
    private static List<MetricResult> Scores(RunStore store, PromptUse use) =>
        [.. store.GetMetricResults(use.RunId).Where(r => r.Variant == use.Variant).OrderBy(r => r.Metric, StringComparer.Ordinal)
            .Select(r =>
            {
                var scale = 100 / store.FindRun(use.RunId)!.Config.FullScale(r.Metric);
                return r with { Value = r.Value * scale, Lower = r.Lower * scale, Upper = r.Upper * scale };
            })];
}

/// <summary>A prompt version as <c>prompts --json</c> lists it: where it was used, and its scores in the latest of those runs.</summary>
internal sealed record PromptVersionJson(string Version, string Path, string? Parent, string Task, IReadOnlyList<PromptUseJson> Uses, PromptScoresJson Latest);

internal sealed record PromptUseJson(string Run, string Variant);

/// <param name="Metrics">On the 0-100 scale of every report.</param>
internal sealed record PromptScoresJson(string Run, string Variant, IReadOnlyList<MetricResult> Metrics);

/// <summary>What <c>prompts diff --json</c> prints: the text diff and B against A on the items both were run on.</summary>
internal sealed record PromptDiffJson(
    string VersionA, string VersionB, IReadOnlyList<DiffLineJson> Lines, string RunA, string VariantA, string RunB, string VariantB, IReadOnlyList<RunComparisonRow> Rows);

/// <param name="Change">unchanged, inserted, deleted, imaginary or modified (DiffPlex's change type).</param>
internal sealed record DiffLineJson(string Change, string? Text);
