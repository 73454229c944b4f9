using AdaptLab.Core.Store;

namespace AdaptLab.Tests.Store;

/// <summary>study_rungs.reason keeps the words it held before the enum, reads back to the same reason, and keeps words it does not know as they were stored.</summary>
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
        foreach (var reason in Enum.GetValues<SkipReason>().Where(r => r is not SkipReason.Other))
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
    [InlineData("the task has no corpus (yet)")]
    [InlineData("{0} braces {1}")]
    [InlineData("")]
    public void Unknown_words_are_kept_as_stored_not_refused_or_guessed(string stored)
    {
        var read = SkipReasonColumn.Parse(stored);

        Assert.Equal(SkipReason.Other, read.Reason);
        Assert.Equal([stored], read.Values);
        Assert.Equal(stored, read.Text);
    }

    [Theory]
    [InlineData("the targets were met at few-shot")]
    [InlineData("the training data is not ready: 3 test inputs also appear in train; 2 conflicting labels")]
    [InlineData("words of an older version")]
    public void Any_stored_words_write_back_unchanged(string stored) => Assert.Equal(stored, SkipReasonColumn.Parse(stored).Text);

    [Fact]
    public void A_skip_in_a_studys_json_is_its_words_known_or_not()
    {
        var options = new System.Text.Json.JsonSerializerOptions { Converters = { new Core.Ladder.RungSkipJson() } };

        Assert.Equal("\"the task has no corpus\"", System.Text.Json.JsonSerializer.Serialize(new RungSkip(SkipReason.NoCorpus), options));
        var old = System.Text.Json.JsonSerializer.Deserialize<RungSkip>("\"words of an older version\"", options)!;
        Assert.Equal(SkipReason.Other, old.Reason);
        Assert.Equal("\"words of an older version\"", System.Text.Json.JsonSerializer.Serialize(old, options));
    }
}
