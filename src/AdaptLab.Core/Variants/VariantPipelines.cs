using AdaptLab.Abstractions;
using AdaptLab.Core.Items;
using AdaptLab.Core.Models;
using AdaptLab.Core.Tasks;
using AdaptLab.Retrieval.Index;
using AdaptLab.Retrieval.Search;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Variants;

/// <summary>
/// Builds the <see cref="VariantPipeline"/>s of a task: reads the train split once when a variant takes examples
/// from it, opens the sentence encoder once when one chooses them by similarity, and gives retrieve steps the corpus.
/// </summary>
internal sealed class VariantPipelines : IDisposable
{
    private readonly TaskDefinition task;
    private readonly Dataset? train;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? encoder;
    private readonly bool ownsEncoder;
    private readonly TaskCorpus? corpus;
    private readonly CorpusIndex? checkedIndex;

    private VariantPipelines(
        TaskDefinition task, Dataset? train, IEmbeddingGenerator<string, Embedding<float>>? encoder, bool ownsEncoder, TaskCorpus? corpus, CorpusIndex? checkedIndex)
    {
        this.checkedIndex = checkedIndex;
        this.task = task;
        this.train = train;
        this.encoder = encoder;
        this.ownsEncoder = ownsEncoder;
        this.corpus = corpus;
    }

    /// <exception cref="InputException">The train split cannot be read, or the encoder is not available here.</exception>
    /// <param name="openEncoder">False where nearest-neighbour examples are not chosen but bounded (<see cref="Create"/>'s longestShots).</param>
    /// <param name="corpus">The ingested corpus the retrieve steps search (its encoder serves nearest-neighbour examples too); null where prompts are only checked.</param>
    /// <param name="checkedIndex">Where prompts are only checked: an index already ingested, whose longest chunks stand in for retrieved ones (without it, none).</param>
    public static VariantPipelines Open(
        TaskDefinition task, ModelProviders providers, IEnumerable<VariantSpec> variants, bool openEncoder = true, TaskCorpus? corpus = null,
        CorpusIndex? checkedIndex = null)
    {
        var withShots = variants.Where(v => v.Shots is not null).ToList();
        var train = withShots.Count > 0 ? DatasetLoader.Load(task.Data.Train!, task.Data) : null;
        IEmbeddingGenerator<string, Embedding<float>>? encoder = null;
        if (corpus?.Encoder is { } shared)
        {
            return new VariantPipelines(task, train, shared, ownsEncoder: false, corpus, checkedIndex);
        }

        if (openEncoder && withShots.FirstOrDefault(v => v.Shots!.Select == ShotSelection.Nearest) is { } nearest)
        {
            try
            {
                encoder = TaskEncoder.Open(task, providers);
            }
            catch (InvalidOperationException e)
            {
                throw new InputException(task.SourcePath, null, $"variants.{nearest.Name}.shots.select",
                    "select: nearest embeds inputs with all-MiniLM-L6-v2, and " + e.Message);
            }
        }

        return new VariantPipelines(task, train, encoder, ownsEncoder: true, corpus, checkedIndex);
    }

    /// <param name="model">The variant's model: a retrieval token budget counts in its own tokens where it has a tokenizer here.</param>
    internal string PipelineJson(VariantSpec spec, IChatClient? model, ShotSearchResult? search = null) =>
        VariantIdentity.Pipeline(spec.Shots, train?.ContentHash, encoder?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId, search, Retriever(spec, BudgetCounter(model))?.Identity);

    /// <summary>The model's own tokens for retrieval budgets, where it has a tokenizer here (local models); else null (o200k_base).</summary>
    private static TokenCounter? BudgetCounter(IChatClient? model) =>
        model?.GetService<IModelTokenizer>() is { } tokenizer ? new TokenCounter("model", tokenizer.CountTokens) : null;

    private CorpusRetriever? Retriever(VariantSpec spec, TokenCounter? budgetCounter)
    {
        if (spec.Retrieve is not { } retrieve || corpus is null)
        {
            return null;
        }

        try
        {
            return new CorpusRetriever(corpus.Index, corpus.Encoder, retrieve.Options, budgetCounter);
        }
        catch (InvalidOperationException e)
        {
            throw new InputException(task.SourcePath, null, $"variants.{spec.Name}.retrieve", e.Message);
        }
    }

    /// <summary>The train items examples may come from, without <paramref name="excluded"/>.</summary>
    internal ShotPool Pool(IReadOnlyCollection<(string Id, string Input)> excluded) => ShotPool.From(train!, excluded);

    /// <summary>The dev split, read once, for <c>select: search</c>.</summary>
    internal Dataset Dev => dev ??= DatasetLoader.Load(task.Data.Dev!, task.Data);

    private Dataset? dev;

    /// <exception cref="InputException">The variant's examples cannot be drawn with these test items (too few, or fixed ids that are test items).</exception>
    internal void Check(VariantSpec spec, IReadOnlyCollection<(string Id, string Input)> testItems)
    {
        if (spec.Shots is { } shots)
        {
            ShotPool.From(train!, testItems).Check(shots, task.SourcePath, spec.Name);
        }
    }

    /// <param name="longestShots">Shows the k longest train inputs (and the k longest chunks of a checked index) instead of choosing: the worst case, to check prompt lengths without embedding.</param>
    /// <param name="model">The variant's model, whose tokenizer (where it has one here) counts retrieval token budgets.</param>
    public VariantPipeline Create(
        VariantSpec spec, ChatPrompt prompt, IReadOnlyList<string>? labels, IReadOnlyCollection<(string Id, string Input)> testItems,
        Func<IReadOnlyDictionary<string, string>, IReadOnlySet<string>, IReadOnlyDictionary<string, string>> truncate, IChatClient? model, bool longestShots = false)
    {
        IShotSelector? selector = null;
        if (spec.Shots is { } shots)
        {
            var pool = ShotPool.From(train!, testItems);
            pool.Check(shots, task.SourcePath, spec.Name);
            selector = shots.Select switch
            {
                ShotSelection.Fixed => new FixedShots(pool, shots.Ids),
                _ when longestShots => new FixedShots(pool, [.. pool.Items.OrderByDescending(i => i.Input.Length).Take(shots.K).Select(i => i.Id)]),
                ShotSelection.Random => new RandomShots(pool, shots.K, shots.Seed),
                ShotSelection.Balanced => new BalancedShots(pool, shots.K, shots.Seed),
                ShotSelection.Nearest => new NearestShots(pool, shots.K, encoder!),
                _ => throw new InvalidOperationException("select: search is resolved to fixed ids before its pipeline is built"),
            };
        }

        return new VariantPipeline(prompt, spec.System, labels, selector, spec.Shots?.Placement ?? ShotPlacement.Turns, truncate,
            offerTools: task.Kind == TaskKind.ToolCall,
            spec.Retrieve is { } retrieve
                ? new VariantPipeline.Retrieval(
                    longestShots && checkedIndex is not null ? new LongestChunks(checkedIndex, retrieve.Options, BudgetCounter(model)) : Retriever(spec, BudgetCounter(model)),
                    retrieve.Query, corpus?.Index.Version)
                : null,
            itemSystem: task.Data.Fields.System is not null);
    }

    public void Dispose()
    {
        if (ownsEncoder)
        {
            encoder?.Dispose();
        }
    }
}
