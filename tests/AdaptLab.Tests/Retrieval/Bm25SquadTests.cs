using System.Text.Json.Nodes;
using AdaptLab.Retrieval;
using AdaptLab.Retrieval.Lexical;
using AdaptLab.Tests.Support;
using Xunit.Abstractions;

namespace AdaptLab.Tests.Retrieval;

/// <summary>
/// BM25 on SQuAD 2.0's dev half (../shared/datasets/squad): the 646 paragraphs are the corpus, the 2,910 answerable
/// questions the queries, each question's own paragraph the one gold passage. Floors sit just under the first measured numbers.
/// </summary>
public sealed class Bm25SquadTests(ITestOutputHelper log)
{
    [Fact]
    public void Bm25_finds_each_questions_paragraph_as_often_as_measured()
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

        using var index = new Bm25Index();
        index.Add(chunks);
        var ranks = queries.Select(q => index.Search(q.Question, 20).Select(h => h.ChunkId).ToList().IndexOf(q.Gold)).ToList();

        double RecallAt(int k) => ranks.Count(r => r >= 0 && r < k) / (double)ranks.Count;
        var mrr = ranks.Average(r => r < 0 ? 0 : 1.0 / (r + 1));
        log.WriteLine($"{chunks.Count} paragraphs, {queries.Count} questions: recall@1 {RecallAt(1):F4}, @5 {RecallAt(5):F4}, @20 {RecallAt(20):F4}, MRR@20 {mrr:F4}");
        Assert.Equal(646, chunks.Count);
        Assert.Equal(2910, queries.Count);
        // Measured first (2026-12-03): recall@1 0.8189, @5 0.9460, @20 0.9797, MRR@20 0.8757.
        Assert.True(RecallAt(1) >= 0.81 && RecallAt(5) >= 0.94 && RecallAt(20) >= 0.975 && mrr >= 0.87,
            $"recall@1 {RecallAt(1)}, @5 {RecallAt(5)}, @20 {RecallAt(20)}, MRR {mrr}");
    }

    [Fact]
    public void A_query_of_fts5_syntax_is_searched_as_words()
    {
        using var index = new Bm25Index();
        index.Add([new Chunk("a", "doc", "The Normans gave their name to Normandy."), new Chunk("b", "doc", "Tesla designed the AC motor.")]);

        Assert.Equal("a", index.Search("NEAR(\"Normans\" AND gave) OR -name*", 5)[0].ChunkId);
        Assert.Empty(index.Search("?!", 5));
        Assert.Equal("b", index.Search("designing motors", 5).Single().ChunkId); // Porter stems both
    }
}
