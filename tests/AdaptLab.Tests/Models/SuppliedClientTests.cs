using AdaptLab.Abstractions;
using AdaptLab.Core.Models;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using AdaptLab.Tests.PublicApi;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Models;

/// <summary>A host's own client for a model name: used for the variants naming it, never disposed, and its own model to the cache.</summary>
public class SuppliedClientTests
{
    // An endpoint, so the OpenAI provider opens it without a key; nothing is called.
    private static readonly ModelSpec Gpt = new("openai:gpt-4o-mini", "http://127.0.0.1:9/v1", null, null, null);

    private static VariantSpec Variant(string modelName) =>
        new("v", "/prompt.liquid", modelName, Gpt, null, new GenerationSettings(0, null, 8, null, [], null));

    [Fact]
    public async Task The_variants_naming_the_model_get_the_client_under_an_identity_of_its_own_and_never_dispose_it()
    {
        var providers = ModelProviders.CreateDefault();
        using var client = new UserChatClient(_ => "positive");
        providers.Use("gpt", client);

        var supplied = providers.Create(Variant("gpt"));
        supplied.Dispose();

        Assert.Equal("positive", (await supplied.GetResponseAsync("hi")).Text);
        Assert.False(client.Disposed);
        var identity = VariantIdentity.Model(Gpt, supplied);
        Assert.Equal("supplied:" + typeof(UserChatClient).FullName, identity);

        // A variant naming another model with the same reference gets the reference's provider, and another identity.
        using var referenced = providers.Create(Variant("gpt-other"));
        Assert.NotNull(referenced.GetService<ModelEndpoint>());
        Assert.Equal("openai:gpt-4o-mini http://127.0.0.1:9/v1", VariantIdentity.Model(Gpt, referenced));
    }

    [Fact]
    public void A_client_with_an_identity_of_its_own_keeps_it()
    {
        var providers = ModelProviders.CreateDefault();
        using var client = new IdentifiedClient();
        providers.Use("gpt", client);

        using var supplied = providers.Create(Variant("gpt"));

        Assert.Equal("sha256:abc", VariantIdentity.Model(Gpt, supplied));
    }

    private sealed class IdentifiedClient : DelegatingChatClient, IModelIdentity
    {
        public IdentifiedClient()
            : base(new UserChatClient(_ => "x"))
        {
        }

        public string Identity => "sha256:abc";
    }
}
