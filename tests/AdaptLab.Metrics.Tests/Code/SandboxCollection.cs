namespace AdaptLab.Metrics.Tests.Code;

/// <summary>
/// Sandbox tests run alone: they count the machine's sandboxed processes to show none outlive a run,
/// and wall-time limits should not be squeezed by other tests' load on a small machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxCollection
{
    public const string Name = "sandbox";
}
