using AdaptLab.Core.Models;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Tasks;
using AdaptLab.Tests.Fakes;

namespace AdaptLab.Tests.Models;

public class AzureOpenAiProviderTests
{
    [Fact]
    public async Task An_azure_deployment_is_called_at_its_deployment_path_with_the_key_from_the_environment()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => "ok");
        var resource = server.Endpoint[..^"v1".Length];
        Environment.SetEnvironmentVariable("ADAPTLAB_TEST_AZURE_KEY", "test-key-1234");
        var spec = new ModelSpec("azure:my-deployment", resource, "ADAPTLAB_TEST_AZURE_KEY", null, null);
        using var client = ModelPipeline.Build(ModelProviders.CreateDefault().Create(spec), new ModelPipelineOptions(spec.Reference, RemoteCalls: new RemoteCallOptions()));

        var response = await client.AskAsync("hello");

        Assert.Equal("ok", response.Text);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/my-deployment/chat/completions", request.Path);
        Assert.Equal("test-key-1234", request.Headers["api-key"]);
    }

    [Fact]
    public void A_missing_key_or_endpoint_names_what_to_set()
    {
        var providers = ModelProviders.CreateDefault();

        var noKey = Assert.Throws<InvalidOperationException>(() =>
            providers.Create(new ModelSpec("azure:d", "https://r.openai.azure.com/", "ADAPTLAB_TEST_UNSET_KEY", null, null)));
        Assert.Contains("ADAPTLAB_TEST_UNSET_KEY", noKey.Message);

        if (Environment.GetEnvironmentVariable("AZURE_OPENAI_ENDPOINT") is null)
        {
            var noEndpoint = Assert.Throws<InvalidOperationException>(() => providers.Create(new ModelSpec("azure:d", null, null, null, null)));
            Assert.Contains("AZURE_OPENAI_ENDPOINT", noEndpoint.Message);
        }
    }
}
