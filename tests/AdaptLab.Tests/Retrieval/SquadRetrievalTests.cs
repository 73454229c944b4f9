using System.Text.Json.Nodes;
using AdaptLab.Retrieval;
using AdaptLab.Retrieval.Dense;
using AdaptLab.Retrieval.Hybrid;
using AdaptLab.Retrieval.Lexical;
using AdaptLab.Tests.Support;
using Xunit.Abstractions;

namespace AdaptLab.Tests.Retrieval;

/// <summary>
/// BM25, dense (all-MiniLM-L6-v2) and their reciprocal rank fusion on SQuAD 2.0's dev half (../shared/datasets/squad): the 646 paragraphs are the corpus, the 2,910 answerable
/// questions the queries, each question's own paragraph the one gold passage. Floors sit just under the first measured numbers.
/// </summary>
public sealed class SquadRetrievalTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Bm25_dense_and_hybrid_find_each_questions_paragraph_as_often_as_measured()
    {
        var data = JsonNode.Parse(File.ReadAllText(SharedData.Path("datasets", "squad", "dev-v2.0.json")))!["data"]!.AsArray();
        var chunks = new List<Chunk>();
        var queries = new List<(string Question, string Gold)>();
        for (var a = 0; a < data.Count; a++)
        {
            var paragraphs = data[a]!["paragraphs"]!.AsArray();
            for (var p = 0; p < paragraphs.Count; p++)
            {
                var id = $"{a}-{p}";
                chunks.Add(new Chunk(id, (string)data[a]!["title"]!, (string)paragraphs[p]!["context"]!));
                queries.AddRange(paragraphs[p]!["qas"]!.AsArray().Where(q => q!["is_impossible"]?.GetValue<bool>() != true).Select(q => ((string)q!["question"]!, id)));
            }
        }

        using var lexical = new Bm25Index();
        lexical.Add(chunks);
        using var encoder = new AdaptLab.Engine.LocalEngine().OpenSentenceEncoder();
        var dense = new DenseIndex(encoder);
        await dense.AddAsync(chunks);

        var bm25 = new List<IReadOnlyList<SearchHit>>();
        var nearest = new List<IReadOnlyList<SearchHit>>();
        foreach (var (question, _) in queries)
        {
            bm25.Add(lexical.Search(question, 20));
            nearest.Add(await dense.SearchAsync(question, 20));
        }

        var hybrid = bm25.Zip(nearest, (l, d) => ReciprocalRankFusion.Fuse([l, d], 20)).ToList();
        var measured = new Dictionary<string, (double R1, double R5, double R20, double Mrr)>
        {
            ["bm25"] = Measure(bm25, queries),
            ["dense"] = Measure(nearest, queries),
            ["hybrid"] = Measure(hybrid, queries),
        };
        foreach (var (name, m) in measured)
        {
            log.WriteLine($"{name}: recall@1 {m.R1:F4}, @5 {m.R5:F4}, @20 {m.R20:F4}, MRR@20 {m.Mrr:F4}");
        }

        Assert.Equal(646, chunks.Count);
        Assert.Equal(2910, queries.Count);
        // Measured first (2026-12-03): bm25 recall@1 0.8189, @5 0.9460, @20 0.9797, MRR 0.8757; the floors sit just under.
        AssertAtLeast(measured["bm25"], (0.81, 0.94, 0.975, 0.87), "bm25");
        AssertAtLeast(measured["dense"], FloorsDense, "dense");
        AssertAtLeast(measured["hybrid"], FloorsHybrid, "hybrid");
    }

    // Measured: dense recall@1 0.6632, @5 0.9007, @20 0.9756, MRR 0.7660; hybrid 0.7914, 0.9591, 0.9918, 0.8636.
    private static readonly (double, double, double, double) FloorsDense = (0.655, 0.895, 0.97, 0.76);

    private static readonly (double, double, double, double) FloorsHybrid = (0.785, 0.955, 0.99, 0.86);

    private static (double R1, double R5, double R20, double Mrr) Measure(List<IReadOnlyList<SearchHit>> results, List<(string Question, string Gold)> queries)
    {
        var ranks = results.Select((hits, i) => hits.Select(h => h.ChunkId).ToList().IndexOf(queries[i].Gold)).ToList();
        double RecallAt(int k) => ranks.Count(r => r >= 0 && r < k) / (double)ranks.Count;
        return (RecallAt(1), RecallAt(5), RecallAt(20), ranks.Average(r => r < 0 ? 0 : 1.0 / (r + 1)));
    }

    private static void AssertAtLeast((double R1, double R5, double R20, double Mrr) m, (double R1, double R5, double R20, double Mrr) floor, string name) =>
        Assert.True(m.R1 >= floor.R1 && m.R5 >= floor.R5 && m.R20 >= floor.R20 && m.Mrr >= floor.Mrr,
            $"{name}: recall@1 {m.R1}, @5 {m.R5}, @20 {m.R20}, MRR {m.Mrr} under {floor}");

    [Fact]
    public void A_query_of_fts5_syntax_is_searched_as_words()
    {
        using var index = new Bm25Index();
        index.Add([new Chunk("a", "doc", "The Normans gave their name to Normandy."), new Chunk("b", "doc", "Tesla designed the AC motor.")]);

        Assert.Equal("a", index.Search("NEAR(\"Normans\" AND gave) OR -name*", 5)[0].ChunkId);
        Assert.Empty(index.Search("?!", 5));
        Assert.Equal("b", index.Search("designing motors", 5).Single().ChunkId); // Porter stems both
    }

    [Fact]
    public void Reciprocal_rank_fusion_sums_one_over_60_plus_rank_and_ties_go_to_the_first_ranking()
    {
        IReadOnlyList<SearchHit> lexical = [new("a", 9), new("b", 8), new("c", 7)];
        IReadOnlyList<SearchHit> dense = [new("c", 0.9), new("b", 0.8), new("d", 0.7)];

        var fused = ReciprocalRankFusion.Fuse([lexical, dense], 10);

        // b: 1/62 + 1/62; c: 1/63 + 1/61; a: 1/61; d: 1/63.
        Assert.Equal(["c", "b", "a", "d"], fused.Select(h => h.ChunkId));
        Assert.Equal((1.0 / 63) + (1.0 / 61), fused[0].Score, 12);
        Assert.Equal(["a", "c"], ReciprocalRankFusion.Fuse([[new("a", 1)], [new("c", 1)]], 10).Select(h => h.ChunkId));
    }
}
