using AdaptLab.Core.Models;

namespace AdaptLab.Tests.Models;

public class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("20ms", 0.02)]
    [InlineData("1s", 1)]
    [InlineData("1.5s", 1.5)]
    [InlineData("6m0s", 360)]
    [InlineData("1h2m3.5s", 3723.5)]
    [InlineData("7", 7)]
    public void Go_durations_parse(string text, double seconds)
    {
        Assert.True(RateLimitHeaders.TryParseDuration(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5x")]
    [InlineData("1d")]
    [InlineData("-3")]
    [InlineData("1.2.3s")]
    public void Malformed_durations_do_not_parse(string text) => Assert.False(RateLimitHeaders.TryParseDuration(text, out _));

    [Fact]
    public void Retry_After_in_seconds_an_HTTP_date_or_milliseconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), Wait(429, ("Retry-After", "3")));
        Assert.Equal(TimeSpan.FromSeconds(30), Wait(429, ("Retry-After", Now.AddSeconds(30).ToString("r"))));
        Assert.Equal(TimeSpan.Zero, Wait(429, ("Retry-After", Now.AddSeconds(-30).ToString("r"))));
        Assert.Equal(TimeSpan.FromMilliseconds(250), Wait(429, ("retry-after-ms", "250"), ("Retry-After", "1")));
    }

    [Fact]
    public void A_429_without_Retry_After_uses_the_budget_resets()
    {
        Assert.Equal(TimeSpan.FromSeconds(6), Wait(429, ("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-reset-tokens", "6s")));
        Assert.Null(Wait(429));
    }

    [Fact]
    public void A_success_pauses_only_when_a_budget_is_spent()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Wait(200, ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "2s")));
        Assert.Null(Wait(200, ("x-ratelimit-remaining-requests", "5"), ("x-ratelimit-reset-requests", "2s")));
        Assert.Null(Wait(200, ("Retry-After", "5")));
        Assert.Equal(TimeSpan.FromMilliseconds(40), Wait(200, ("x-ratelimit-remaining-tokens", "0"), ("x-ratelimit-reset-tokens", "40ms")));
    }

    [Fact]
    public void Endpoint_keys_never_carry_user_info_or_query_strings()
    {
        var endpoint = new ModelEndpoints().For(new Uri("https://user:secret@example.test/v1/?api-key=abc"), "m");

        Assert.Equal("https://example.test/v1 m", endpoint.Key);
    }

    private static TimeSpan? Wait(int status, params (string Name, string Value)[] headers) =>
        RateLimitHeaders.WaitFor(
            status,
            name => headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault(),
            Now);
}
