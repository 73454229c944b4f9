using System.Globalization;
using System.Text.RegularExpressions;

namespace AdaptLab.Core.Store;

/// <summary>
/// study_rungs.reason holds a skip's words, as studies stored before <see cref="SkipReason"/> hold them: each reason's
/// template is the one place its words are written, and reading a stored reason back matches the templates. Words that
/// match none (another version's) read back as <see cref="SkipReason.Other"/> holding them, so they print and write back
/// unchanged: reading a stored study never fails on its reasons.
/// </summary>
internal static class SkipReasonColumn
{
    private static string Template(SkipReason reason) => reason switch
    {
        SkipReason.TargetsMet => "the targets were met at {0}",
        SkipReason.NoFewShot => "no variant has few-shot examples (shots)",
        SkipReason.NoCorpus => "the task has no corpus",
        SkipReason.NoRetrieve => "no variant has a retrieve step",
        SkipReason.FineTuningOff => "the task file turns fine-tuning off (ladder.finetune: false)",
        SkipReason.NoTrainSplit => "the task has no data.train to fine-tune on",
        SkipReason.GoldContextVariant => "ladder.finetune.variant '{0}' is the gold-context probe (ladder.oracle): its prompt holds " +
            "the answer's context, which production never has, so a model trained and measured on it says nothing about serving; " +
            "fine-tune the prompt rung's variant or one that retrieves",
        SkipReason.NotLocalModel => "the in-process trainer fine-tunes local models, and {0}'s is {1} (`adaptlab finetune-job` runs a provider's job)",
        SkipReason.LocalOnly => "data may not leave the machine (ladder.local_only), and this rung's model is {0}",
        SkipReason.DataNotReady => "the training data is not ready: {0}",
        SkipReason.BudgetSpent => "training ran past its budget of {0} minutes (ladder.finetune.max_minutes / max_cost)",
        SkipReason.Other => "{0}",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    public static string Text(RungSkip skip) => string.Format(CultureInfo.InvariantCulture, Template(skip.Reason), [.. skip.Values]);

    /// <summary>The reason whose template the words fit, with what fills it; <see cref="SkipReason.Other"/> holding the words when none does.</summary>
    /// <remarks><c>Parse(text).Text == text</c> for any text: a match puts its groups back where they came from.</remarks>
    public static RungSkip Parse(string text)
    {
        foreach (var (reason, pattern) in Patterns)
        {
            if (pattern.Match(text) is { Success: true } match)
            {
                return new RungSkip(reason, [.. match.Groups.Values.Skip(1).Select(g => g.Value)]);
            }
        }

        return new RungSkip(SkipReason.Other, [text]);
    }

    /// <summary>Each written reason's template with each {n} a group, anchored at both ends (Other matches anything, so it is the fallback, not a pattern).</summary>
    private static readonly (SkipReason Reason, Regex Pattern)[] Patterns = [.. Enum.GetValues<SkipReason>().Where(r => r is not SkipReason.Other)
        .Select(r => (r, new Regex("^" + Regex.Replace(Regex.Escape(Template(r)), @"\\\{\d+}", "(.*?)") + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant)))];
}
