using AdaptLab.Core.Prediction;

namespace AdaptLab.Tests;

public class LabelMatcherTests
{
    private static readonly LabelMatcher Banking = new(["card_arrival", "card_linking", "refund_not_showing_up", "Refund", "exchange_rate"]);

    [Theory]
    [InlineData("card_arrival", "card_arrival", nameof(LabelMatchKind.Exact))]
    [InlineData("  card_arrival\nBecause the card has not come.", "card_arrival", nameof(LabelMatchKind.Exact))]
    [InlineData("Card_Arrival.", "card_arrival", nameof(LabelMatchKind.Normalized))]
    [InlineData("\"exchange_rate\"", "exchange_rate", nameof(LabelMatchKind.Normalized))]
    [InlineData("**card_linking**", "card_linking", nameof(LabelMatchKind.Normalized))]
    [InlineData("Label: card_linking", "card_linking", nameof(LabelMatchKind.Normalized))]
    [InlineData("Intent: refund", "Refund", nameof(LabelMatchKind.Normalized))]
    [InlineData("The answer is exchange_rate", "exchange_rate", nameof(LabelMatchKind.Normalized))]
    [InlineData("The intent here is \"refund_not_showing_up\" because the customer waits.", "refund_not_showing_up", nameof(LabelMatchKind.Quoted))]
    [InlineData("I would classify this as `card_arrival`.", "card_arrival", nameof(LabelMatchKind.Quoted))]
    public void Reads_the_label_a_reply_names(string reply, string label, string kind) =>
        Assert.Equal(new LabelMatch(label, Enum.Parse<LabelMatchKind>(kind)), Banking.Match(reply));

    [Theory]
    [InlineData("")]
    [InlineData("card")] // a prefix of two labels is no label
    [InlineData("card_arrival or card_linking")]
    [InlineData("It is \"card_arrival\", not card_linking.")] // two labels occur
    [InlineData("The customer asks about card_arrival.")] // unquoted inside a sentence: a guess
    [InlineData("cash_withdrawal")]
    public void Anything_else_is_invalid_never_the_nearest_label(string reply) =>
        Assert.Equal(new LabelMatch(null, LabelMatchKind.Invalid), Banking.Match(reply));

    [Fact]
    public void Labels_that_differ_only_in_case_are_matched_exactly_only()
    {
        var matcher = new LabelMatcher(["Yes", "yes", "no"]);

        Assert.Equal(LabelMatchKind.Exact, matcher.Match("yes").Kind);
        Assert.Equal(LabelMatchKind.Invalid, matcher.Match("YES").Kind);
        Assert.Equal(new LabelMatch("no", LabelMatchKind.Normalized), matcher.Match("No."));
    }

    [Fact]
    public void A_label_starting_with_a_prefix_word_keeps_it()
    {
        var matcher = new LabelMatcher(["result pending", "pending"]);

        Assert.Equal(new LabelMatch("result pending", LabelMatchKind.Normalized), matcher.Match("Result pending."));
        Assert.Equal(new LabelMatch("pending", LabelMatchKind.Normalized), matcher.Match("Label: pending"));
    }
}
