using System.Globalization;
using System.Text.RegularExpressions;

namespace AdaptLab.Core.Store;

/// <summary>
/// study_rungs.reason holds a skip's words, as studies stored before <see cref="SkipReason"/> hold them: each reason's
/// template is the one place its words are written, and reading a stored reason back matches the templates.
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
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    public static string Text(RungSkip skip) => string.Format(CultureInfo.InvariantCulture, Template(skip.Reason), [.. skip.Values]);

    /// <exception cref="FormatException">The column holds words no reason of this version writes.</exception>
    public static RungSkip Parse(string text)
    {
        foreach (var reason in Enum.GetValues<SkipReason>())
        {
            if (Pattern(reason).Match(text) is { Success: true } match)
            {
                return new RungSkip(reason, [.. match.Groups.Values.Skip(1).Select(g => g.Value)]);
            }
        }

        throw new FormatException($"study_rungs.reason '{text}' is no skip reason this version writes");
    }

    /// <summary>The template with each {n} a group, anchored at both ends.</summary>
    private static Regex Pattern(SkipReason reason) =>
        new("^" + Regex.Replace(Regex.Escape(Template(reason)), @"\\\{\d+}", "(.*?)") + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
}
