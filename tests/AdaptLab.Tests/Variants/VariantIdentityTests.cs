using AdaptLab.Core.Store;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Variants;

/// <summary>The in-process model's identity is its files: retrained weights in the same folder are never answered from the cache.</summary>
public sealed class VariantIdentityTests
{
    [Fact]
    public async Task Changed_weights_in_the_same_folder_give_a_new_identity_and_new_model_calls()
    {
        using var dir = new TempDir();
        var model = dir.Path("model");
        Directory.CreateDirectory(model);
        foreach (var file in new[] { "stories260K.bin", "tok512.bin" })
        {
            File.Copy(SharedData.Path("models", "stories260K", file), Path.Combine(model, file));
        }

        dir.Write("facts.jsonl", string.Join("\n", File.ReadLines(RepoPaths.Path("examples", "pet-names", "facts.jsonl")).Take(6)));
        dir.Write("prompt.liquid", "{{ input }}");
        var task = dir.Write("adaptlab.yaml", """
            name: identity
            task: qa
            data: { test: facts.jsonl, fields: { id: id, input: question, expected: answer } }
            metrics: [exact_match]
            defaults: { model: "local:model", temperature: 0, max_tokens: 4 }
            variants:
              - { name: closed-book, prompt: prompt.liquid }
            """);
        var store = dir.Path("runs.db");

        Assert.Equal(0, (await AdaptLabCli.RunAsync("eval", task, "--store", store)).ExitCode);
        Assert.Equal(0, (await AdaptLabCli.RunAsync("eval", task, "--store", store)).ExitCode);
        // "Retraining": the same file, one weight changed (the last float of the checkpoint).
        using (var weights = File.Open(Path.Combine(model, "stories260K.bin"), FileMode.Open))
        {
            weights.Seek(-4, SeekOrigin.End);
            weights.Write(BitConverter.GetBytes(0.25f));
        }

        var retrained = await AdaptLabCli.RunAsync("eval", task, "--store", store);

        Assert.True(retrained.ExitCode == 0, retrained.ToString());
        using var runs = RunStore.Open(store);
        var all = runs.ListRuns().Reverse().ToList();
        Assert.All(runs.GetPredictions(all[0].Id), p => Assert.False(p.Cached));
        Assert.All(runs.GetPredictions(all[1].Id), p => Assert.True(p.Cached));
        Assert.All(runs.GetPredictions(all[2].Id), p => Assert.False(p.Cached));
        var identities = all.Select(r => runs.GetVariants(r.Id).Single().Identity).ToList();
        Assert.Equal(identities[0], identities[1]);
        Assert.NotEqual(identities[1], identities[2]);
    }
}
