namespace AdaptLab.Engine.Tests.Training;

/// <summary>
/// Tests that train or draw from libtorch's process-wide generator (seeded initialization, dropout) and compare runs:
/// one at a time, since xUnit would otherwise run their classes in parallel and interleave their draws.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TorchGeneratorCollection
{
    public const string Name = "libtorch's global generator";
}
