using AdaptLab.Core.Models.Pipeline;

namespace AdaptLab.Tests.Models;

public class TransientFailuresTests
{
    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(501, false)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    public void Statuses(int status, bool transient) => Assert.Equal(transient, TransientFailures.IsTransientStatus(status));

    [Fact]
    public void A_cancellation_is_transient_only_when_the_caller_did_not_ask_for_it()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.True(TransientFailures.IsTransient(new TaskCanceledException(), CancellationToken.None));
        Assert.False(TransientFailures.IsTransient(new TaskCanceledException(), cancelled.Token));
        Assert.True(TransientFailures.IsTransient(new HttpRequestException("refused"), CancellationToken.None));
        Assert.False(TransientFailures.IsTransient(new InvalidOperationException(), CancellationToken.None));
    }
}
