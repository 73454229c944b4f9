namespace AdaptLab.Core.Tasks;

/// <summary>A model named as <c>provider:name</c>, e.g. <c>openai:gpt-4o-mini</c>.</summary>
internal sealed record ModelReference(string Provider, string Name)
{
    /// <summary>Providers a task file may name; <c>local</c> needs the in-process engine in the host.</summary>
    public static readonly IReadOnlyList<string> Providers = ["openai", "azure", "openai-compatible", "local"];

    public static ModelReference Parse(string reference)
    {
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == reference.Length - 1)
        {
            throw new ArgumentException($"model reference '{reference}' must look like provider:name, e.g. openai:gpt-4o-mini");
        }

        var provider = reference[..colon];
        if (!Providers.Contains(provider))
        {
            throw new ArgumentException($"unknown model provider '{provider}' in '{reference}'; known providers: {string.Join(", ", Providers)}");
        }

        return new ModelReference(provider, reference[(colon + 1)..]);
    }

    public override string ToString() => $"{Provider}:{Name}";
}
