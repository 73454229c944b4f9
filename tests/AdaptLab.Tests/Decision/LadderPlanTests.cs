using AdaptLab.Core.Decision;
using AdaptLab.Core.Ladder;
using AdaptLab.Core.Tasks;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Decision;

/// <summary>Which variant each rung is made from, on the pet-names ladder (a closed-book prompt, RAG, and the gold-context probe).</summary>
public sealed class LadderPlanTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private TaskDefinition Task(string finetune)
    {
        var task = ExampleCopy.Into(dir, "pet-names", "pet-names", "ladder.yaml", "facts.jsonl", "train.jsonl",
            "prompts/closed-book.liquid", "prompts/rag.liquid", "prompts/fact-in-context.liquid");
        var text = File.ReadAllText(task);
        var at = text.IndexOf("  finetune:", StringComparison.Ordinal);
        File.WriteAllText(task, text[..at] + $"  finetune: {finetune}\n" + text[(text.IndexOf('\n', at) + 1)..]);
        return TaskFileLoader.Load(task);
    }

    [Fact]
    public void The_gold_context_probe_is_never_fine_tuned_and_the_study_says_why()
    {
        var plan = LadderPlan.Create(Task("{ variant: fact-in-context, steps: 60 }"));

        Assert.DoesNotContain(plan.Rungs, r => r.Training is not null);
        var reason = Assert.Single(plan.Unavailable, u => u.Kind == RungKind.FineTuned).Reason.Text;
        Assert.Contains("'fact-in-context' is the gold-context probe (ladder.oracle)", reason, StringComparison.Ordinal);

        // The control: a variant that serves (here the one that retrieves) is fine-tuned.
        Assert.Contains(LadderPlan.Create(Task("{ variant: rag, steps: 60 }")).Rungs, r => r.Kind == RungKind.FineTuned);
    }

    [Fact]
    public void No_rung_is_inferred_from_the_gold_context_probe()
    {
        var task = Task("false");
        // The probe listed first has neither shots nor retrieval, the shape the prompt rung is inferred from.
        task = task with { Variants = [task.Variant("fact-in-context"), .. task.Variants.Where(v => v.Name != "fact-in-context")] };

        var plan = LadderPlan.Create(task);

        Assert.Equal("closed-book", plan.Rungs.Single(r => r.Kind == RungKind.Prompt).SourceVariant);
        // The control: without ladder.oracle the same variant is an ordinary first variant and becomes the prompt rung.
        Assert.Equal("fact-in-context", LadderPlan.Create(task with { Ladder = task.Ladder with { Oracle = null } }).Rungs.Single(r => r.Kind == RungKind.Prompt).SourceVariant);
    }

    [Fact]
    public void A_model_trained_on_retrieved_context_is_measured_closed_book_and_with_retrieval_and_retrains_when_the_corpus_changes()
    {
        var plan = LadderPlan.Create(Task("{ variant: rag, steps: 60 }"));

        var tuned = plan.Rungs.Single(r => r.Kind == RungKind.FineTuned);
        var tunedRag = plan.Rungs.Single(r => r.Kind == RungKind.FineTunedRag);
        Assert.Equal(("closed-book", "rag"), (tuned.SourceVariant, tunedRag.SourceVariant));
        Assert.Null(tuned.Spec.Retrieve);
        Assert.NotNull(tunedRag.Spec.Retrieve);
        Assert.Equal(tuned.Spec.Model, tunedRag.Spec.Model);

        // The same corpus names the same folder (a trained model is reused); another corpus trains afresh.
        Assert.Equal(tuned.Training!.Folder, LadderPlan.Create(Task("{ variant: rag, steps: 60 }")).Rungs.Single(r => r.Kind == RungKind.FineTuned).Training!.Folder);
        File.AppendAllText(dir.Path("pet-names", "facts.jsonl"), "{\"id\": \"fact-new\", \"fact\": \"Ann had a fish named Bubbles.\", \"question\": \"Ann had a fish. The fish's name was\", \"answer\": \"Bubbles\"}\n");
        Assert.NotEqual(tuned.Training.Folder, LadderPlan.Create(TaskFileLoader.Load(dir.Path("pet-names", "ladder.yaml"))).Rungs.Single(r => r.Kind == RungKind.FineTuned).Training!.Folder);
    }
}
