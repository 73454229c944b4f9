using AdaptLab.Core.Models.Hub;

namespace AdaptLab.Tests.Hub;

public sealed class HubModelIdTests
{
    [Theory]
    [InlineData("TinyLlama/TinyLlama-1.1B-Chat-v1.0", "TinyLlama", "TinyLlama-1.1B-Chat-v1.0", "main")]
    [InlineData("org/name@v1.2", "org", "name", "v1.2")]
    [InlineData("org/name@refs/pr/1", "org", "name", "refs/pr/1")]
    public void Parses_repository_and_revision(string text, string organization, string name, string revision) =>
        Assert.Equal(new HubModelId(organization, name, revision), HubModelId.Parse(text));

    [Theory]
    [InlineData("gpt2")]
    [InlineData("org/name/extra")]
    [InlineData("../etc/passwd")]
    [InlineData("org/na me")]
    [InlineData("org/name@")]
    [InlineData("org/name@../../x")]
    public void Rejects_what_is_not_org_slash_name(string text)
    {
        var error = Assert.Throws<FormatException>(() => HubModelId.Parse(text));
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_never_appears_in_the_options_text() =>
        Assert.DoesNotContain("hf_secret", new HubOptions(HubOptions.DefaultEndpoint, "/cache", Token: "hf_secret").ToString(), StringComparison.Ordinal);
}
