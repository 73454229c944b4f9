using AdaptLab.Abstractions;
using AdaptLab.Core.Items;
using AdaptLab.Core.Models;
using AdaptLab.Core.Prompts;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using AdaptLab.Retrieval.Index;
using AdaptLab.Retrieval.Ingest;
using Microsoft.Extensions.AI;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>validate</c>'s prompt checks: every item's prompt renders with every variant, and for local models
/// the prompt, counted with the model's own tokenizer and chat template, leaves room for
/// <c>max_tokens</c> in the context window. Remote models keep their tokenizers to themselves.
/// </summary>
internal static class PromptChecks
{
    /// <returns>The longest prompt in tokens per local variant, and warnings that do not stop a run (answers longer than max_tokens).</returns>
    /// <remarks>
    /// Random and balanced examples are drawn as in <c>eval</c>; nearest-neighbour ones are taken to be the k longest train inputs,
    /// and retrieved chunks the k longest of the corpus index, the worst cases. The corpus is chunked (not embedded) first, so
    /// the chunks are those eval will retrieve from.
    /// </remarks>
    /// <exception cref="InputException">A prompt does not render or does not fit; names the item, the variant and the length.</exception>
    public static (IReadOnlyDictionary<string, int> Longest, IReadOnlyList<string> Warnings) Check(
        TaskDefinition task, Dataset test, IReadOnlyList<string>? labels, ModelProviders providers)
    {
        var longest = new Dictionary<string, int>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var testItems = test.Items.Select(i => (i.Id, i.Input)).ToList();
        using var index = Chunked(task);
        using var pipelines = VariantPipelines.Open(task, providers, task.Variants, openEncoder: false, checkedIndex: index);
        for (var v = 0; v < task.Variants.Count; v++)
        {
            var variant = task.Variants[v];
            var prompt = ChatPrompt.Load(variant.PromptPath);
            using var client = ModelReference.Parse(variant.Model.Reference).Provider == "local" ? providers.Create(variant.Model) : null;
            var local = client?.GetService<IModelTokenizer>();
            var truncated = FieldTruncation.For(task.Data.Truncate, client, task.SourcePath, variant.Name);
            using var pipeline = pipelines.Create(variant, prompt, labels, testItems, truncated, client, longestShots: true);
            var (tooLong, longestAnswer) = (new List<string>(), 0);
            foreach (var item in test.Items)
            {
                IReadOnlyList<ChatMessage> messages;
                try
                {
                    messages = pipeline.PrepareAsync(item, CancellationToken.None).GetAwaiter().GetResult().Messages;
                }
                catch (InputException e)
                {
                    throw new InputException(e.File, e.Line, e.Field, $"item '{item.Id}' ({item.Location}): {e.Problem}");
                }

                if (local is null)
                {
                    continue;
                }

                var answer = item.Expected.Count > 0 ? local.CountTokens(item.Expected[0]) : 0;
                if (variant.Generation.MaxTokens is { } most && answer > most)
                {
                    tooLong.Add(item.Id);
                    longestAnswer = Math.Max(longestAnswer, answer);
                }

                var tokens = local.CountPromptTokens(messages);
                longest[variant.Name] = Math.Max(tokens, longest.GetValueOrDefault(variant.Name));
                var reply = variant.Generation.MaxTokens ?? 0;
                if (tokens + reply > local.ContextLength)
                {
                    var room = reply > 0 ? $" and max_tokens {reply}" : string.Empty;
                    throw new InputException(item.Location, null, $"variants[{v}] ({variant.Name})",
                        $"the prompt of item '{item.Id}' is {tokens} tokens{room}: more than the context of {local.ContextLength} tokens of " +
                        $"{variant.Model.Reference}; shorten the prompt or the field, or lower max_tokens");
                }
            }

            if (tooLong.Count > 0)
            {
                warnings.Add($"variant {variant.Name}: {tooLong.Count} expected answer(s) are longer than max_tokens {variant.Generation.MaxTokens} " +
                    $"in {variant.Model.Reference}'s tokens (the longest {longestAnswer}; first: item '{tooLong[0]}'), so the reply is cut before it can match");
            }
        }

        return (longest, warnings);
    }

    /// <summary>The corpus index with its chunks brought up to date (no embedding), where a variant retrieves; else null.</summary>
    private static CorpusIndex? Chunked(TaskDefinition task)
    {
        if (task.Corpus is not { } corpus || task.Variants.All(v => v.Retrieve is null))
        {
            return null;
        }

        var index = CorpusIndex.Open(corpus.IndexPath);
        try
        {
            CorpusIngest.RunAsync(index, corpus.Source, encoder: null).GetAwaiter().GetResult();
            return index;
        }
        catch (InputException e)
        {
            index.Dispose();
            throw new InputException(e.File, e.Line, e.Field is null ? "corpus" : $"corpus: {e.Field}", e.Problem);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }
}
