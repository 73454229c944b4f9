namespace AdaptLab.Server.Tests;

/// <summary><c>adaptlab serve local:stories260K --fine-tuning</c>: the served model, trainable through the jobs API, its files and models in a temporary folder.</summary>
public sealed class ServedStoriesWithJobs : ServedStories
{
    public string JobsFolder { get; } = Directory.CreateTempSubdirectory("adaptlab-jobs-").FullName;

    protected override IEnumerable<string> ExtraArguments => ["--fine-tuning", "--jobs-dir", JobsFolder];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(JobsFolder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ServedStoriesWithJobsCollection : ICollectionFixture<ServedStoriesWithJobs>
{
    public const string Name = "served stories260K with fine-tuning jobs";
}
