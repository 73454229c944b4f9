using AdaptLab.Core.Store;

namespace AdaptLab.Tests.Store;

/// <summary>study_rungs.reason keeps the words it held before the enum, reads back to the same reason, and refuses words it does not know.</summary>
public class SkipReasonColumnTests
{
    public static TheoryData<string, string[], string> Stored => new()
    {
        { nameof(SkipReason.TargetsMet), ["few-shot"], "the targets were met at few-shot" },
        { nameof(SkipReason.NoCorpus), [], "the task has no corpus" },
        { nameof(SkipReason.NotLocalModel), ["chat", "openai:gpt-4o-mini"],
            "the in-process trainer fine-tunes local models, and chat's is openai:gpt-4o-mini (`adaptlab finetune-job` runs a provider's job)" },
        { nameof(SkipReason.BudgetSpent), ["2.5"], "training ran past its budget of 2.5 minutes (ladder.finetune.max_minutes / max_cost)" },
        { nameof(SkipReason.DataNotReady), ["a; b"], "the training data is not ready: a; b" },
    };

    [Theory]
    [MemberData(nameof(Stored))]
    public void Reason_survives_the_column(string reasonName, string[] values, string stored)
    {
        var skip = new RungSkip(Enum.Parse<SkipReason>(reasonName), values);
        Assert.Equal(stored, skip.Text);
        var read = SkipReasonColumn.Parse(stored);
        Assert.Equal(skip.Reason, read.Reason);
        Assert.Equal(skip.Values, read.Values);
    }

    [Fact]
    public void Every_reason_round_trips()
    {
        foreach (var reason in Enum.GetValues<SkipReason>())
        {
            var skip = new RungSkip(reason, ["x", "y"]);
            var read = SkipReasonColumn.Parse(skip.Text);
            Assert.Equal(reason, read.Reason);
            Assert.Equal(skip.Text, read.Text);
        }
    }

    [Theory]
    [InlineData("the targets were reached at prompt")]
    [InlineData("not reached")]
    [InlineData("")]
    public void Unknown_words_are_rejected_not_guessed(string stored)
    {
        var error = Assert.Throws<FormatException>(() => SkipReasonColumn.Parse(stored));
        Assert.Contains($"'{stored}' is no skip reason", error.Message, StringComparison.Ordinal);
    }
}
