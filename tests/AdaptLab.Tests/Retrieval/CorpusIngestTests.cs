using System.Text.Json.Nodes;
using AdaptLab.Retrieval.Index;
using AdaptLab.Retrieval.Ingest;
using AdaptLab.Retrieval.Search;
using AdaptLab.Tests.Support;
using Xunit.Abstractions;

namespace AdaptLab.Tests.Retrieval;

public sealed class CorpusIngestTests : IDisposable
{
    private readonly TempDir dir = new();

    [Fact]
    public async Task Markdown_html_text_jsonl_and_csv_become_chunks_with_their_headings_and_offsets()
    {
        var md = dir.Write("docs/guide.md", "Intro text.\n\n# Install\n\nRun the setup.\n\n```\n# not a heading\n```\n\n## On Debian\n\nUse apt.\n\n# Usage\n\nCall it.\n");
        dir.Write("docs/page.html", "<html><head><title>T</title><script>var secret = 1;</script></head><body><h1>Pets</h1><p>Rex is a <b>dog</b>.</p><h2>Cats</h2><ul><li>Tom</li><li>Kit</li></ul></body></html>");
        dir.Write("docs/notes.txt", "Plain notes.");
        dir.Write("docs/facts.jsonl", "{\"id\": \"f1\", \"fact\": \"Sue had a dog named Rex.\"}\n\n{\"id\": \"f2\", \"fact\": \"Tom had a cat named Kit.\"}\n");
        dir.Write("table.csv", "key,body,title\nc1,\"Commas, and \"\"quotes\"\"\",First\nc2,Second row,Second\n");
        using var index = CorpusIndex.Open(dir.Path("index.db"));

        var result = await CorpusIngest.RunAsync(index, new CorpusSource([dir.Path("docs")], Text: "fact", Id: "id"), null, null);

        Assert.Equal(4, result.Files);
        var guide = index.Chunks(["guide.md#0", "guide.md#1", "guide.md#2", "guide.md#3"]);
        Assert.Equal(["", "Install", "Install > On Debian", "Usage"], guide.Select(c => c.Heading));
        Assert.Contains("# not a heading", guide[1].Text, StringComparison.Ordinal);
        var text = File.ReadAllText(md);
        Assert.All(guide, c => Assert.Equal(c.Text, text[c.Start..c.End].Trim()));

        var page = index.Chunks(["page.html#0", "page.html#1"]);
        Assert.Equal(["Pets", "Pets > Cats"], page.Select(c => c.Heading));
        Assert.Equal("Rex is a dog.", page[0].Text);
        Assert.Equal("Tom\nKit", page[1].Text);
        Assert.DoesNotContain(index.Lexical("secret", 5), h => true);

        Assert.Equal("Sue had a dog named Rex.", index.Chunks(["f1#0"]).Single().Text);
        Assert.Equal("Plain notes.", index.Chunks(["notes.txt#0"]).Single().Text);

        var noColumn = await Assert.ThrowsAsync<InputException>(() => CorpusIngest.RunAsync(index, new CorpusSource([dir.Path("table.csv")], Text: "fact"), null));
        Assert.Equal((1, "fact"), (noColumn.Line, noColumn.Field));
        await CorpusIngest.RunAsync(index, new CorpusSource([dir.Path("table.csv")], Text: "body", Id: "key", Title: "title"), null);
        var rows = index.Chunks(["c1#0", "c2#0"]);
        Assert.Equal("Commas, and \"quotes\"", rows[0].Text);
        Assert.Equal("Second", rows[1].Heading);
        Assert.Equal(2, index.ChunkCount); // the folder's other files were removed from the index
    }

    [Fact]
    public async Task Long_text_is_cut_into_overlapping_token_windows_that_never_cross_a_heading()
    {
        var words = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"word{i}"));
        dir.Write("docs/long.md", $"# A\n\n{words}\n\n# B\n\nshort\n");
        using var index = CorpusIndex.Open(null);

        await CorpusIngest.RunAsync(index, new CorpusSource([dir.Path("docs")], ChunkTokens: 100, OverlapTokens: 20), null);

        var chunks = index.Chunks(Enumerable.Range(0, 20).Select(i => $"long.md#{i}"));
        Assert.All(chunks, c => Assert.True(c.Tokens <= 100, $"{c.Id}: {c.Tokens} tokens"));
        Assert.Equal("B", chunks[^1].Heading);
        Assert.Equal("short", chunks[^1].Text);
        var a = chunks.Where(c => c.Heading == "A").ToList();
        Assert.True(a.Count >= 6, $"{a.Count} chunks of heading A");
        for (var i = 1; i < a.Count; i++)
        {
            Assert.True(a[i].Start < a[i - 1].End, $"{a[i].Id} starts at {a[i].Start}, after {a[i - 1].Id} ends at {a[i - 1].End}: no overlap");
        }

        Assert.Throws<ArgumentException>(() => new TokenChunker(10, 10));
    }

    [Fact]
    public async Task A_reingest_embeds_only_the_changed_files_and_changes_the_version()
    {
        dir.Write("docs/a.txt", "Alpha document about dogs.");
        dir.Write("docs/b.txt", "Beta document about cats.");
        using var index = CorpusIndex.Open(dir.Path("index.db"));
        using var inner = new AdaptLab.Engine.LocalEngine().OpenSentenceEncoder();
        using var encoder = new CountingEncoder(inner);
        var source = new CorpusSource([dir.Path("docs")]);

        var first = await CorpusIngest.RunAsync(index, source, encoder);
        var again = await CorpusIngest.RunAsync(index, source, encoder);
        File.WriteAllText(dir.Path("docs", "b.txt"), "Beta document about parrots.");
        var changed = await CorpusIngest.RunAsync(index, source, encoder);

        Assert.Equal((2, 2), (first.Changed, first.Embedded));
        Assert.Equal((0, 2, 0), (again.Changed, again.Unchanged, again.Embedded));
        Assert.Equal(first.Version, again.Version);
        Assert.Equal((1, 1, 1), (changed.Changed, changed.Unchanged, changed.Embedded));
        Assert.NotEqual(first.Version, changed.Version);
        Assert.Equal(3, encoder.Texts);
        var retriever = new CorpusRetriever(index, encoder, new RetrieveOptions(RetrievalMode.Dense, K: 1));
        Assert.Equal("b.txt#0", (await retriever.RetrieveAsync("parrots")).Single().Chunk.Id);
    }

    [Fact]
    public async Task A_renamed_copy_of_a_task_file_reuses_the_corpus_index_and_another_chunk_size_gets_its_own()
    {
        dir.Write("docs/a.txt", "Alpha document about dogs.");
        dir.Write("docs/b.md", "# Cats\n\nBeta document about cats.");
        dir.Write("test.jsonl", "{\"id\": \"q\", \"text\": \"Which pet barks?\", \"label\": \"dog\"}\n");
        dir.Write("prompt.liquid", "{{ input }}");
        string Task(string name, int chunkTokens) => dir.Write(name + ".yaml", $$"""
            name: {{name}}
            task: classification
            data: { test: test.jsonl, fields: { id: id, input: text, expected: label } }
            corpus: { path: docs, chunk_tokens: {{chunkTokens}} }
            metrics: [accuracy]
            models:
              fake: { ref: "openai-compatible:fake", endpoint: "http://127.0.0.1:9/v1" }
            defaults: { model: fake }
            variants:
              - { name: rag, prompt: prompt.liquid, retrieve: { mode: hybrid, k: 1 } }
            """);
        using var encoder = new CountingEncoder(new AdaptLab.Engine.LocalEngine().OpenSentenceEncoder());
        async Task<JsonNode> Ingest(string task)
        {
            var result = await AdaptLabCli.RunAsync(encoder.Providers(), "ingest", task, "--json");
            Assert.True(result.ExitCode == 0, result.ToString());
            return JsonNode.Parse(result.Output)!;
        }

        var first = await Ingest(Task("pets", 256));
        var copy = await Ingest(Task("pets-copy", 256));
        var resized = await Ingest(Task("pets-small", 64));

        Assert.Equal((2, 2), ((int)first["changed"]!, (int)first["embedded"]!));
        Assert.Equal((0, 2, 0), ((int)copy["changed"]!, (int)copy["unchanged"]!, (int)copy["embedded"]!));
        Assert.Equal((string?)first["index"], (string?)copy["index"]);
        Assert.Equal((string?)first["version"], (string?)copy["version"]);
        // Another chunk size is another index, read and cut again; these short files make the same chunks, whose
        // vectors the embedding cache already holds: the encoder saw each text once.
        Assert.Equal((2, 2), ((int)resized["changed"]!, (int)resized["embedded"]!));
        Assert.NotEqual((string?)first["index"], (string?)resized["index"]);
        Assert.Equal(2, encoder.Texts);
    }

    [Fact]
    public async Task A_lexical_index_lost_or_cut_short_is_rebuilt_from_the_chunks_by_the_next_ingest()
    {
        dir.Write("docs/a.txt", "Alpha document about dogs.");
        dir.Write("docs/b.txt", "Beta document about cats.");
        var source = new CorpusSource([dir.Path("docs")]);
        using (var index = CorpusIndex.Open(dir.Path("index.db")))
        {
            await CorpusIngest.RunAsync(index, source, null);
        }

        Directory.Delete(dir.Path("index.db.lucene"), recursive: true);
        dir.Write("docs/c.jsonl", "{\"text\": \"Gamma about birds.\"}\n{\"body\": \"no text field\"}\n");
        using (var index = CorpusIndex.Open(dir.Path("index.db")))
        {
            Assert.Empty(index.Lexical("cats", 5));
            await Assert.ThrowsAsync<InputException>(() => CorpusIngest.RunAsync(index, source, null));
        }

        File.Delete(dir.Path("docs", "c.jsonl"));
        using (var index = CorpusIndex.Open(dir.Path("index.db")))
        {
            var result = await CorpusIngest.RunAsync(index, source, null);

            Assert.Equal(0, result.Changed); // nothing to read again: the chunks were kept
            Assert.Equal("b.txt#0", index.Lexical("cats", 5).Single().ChunkId);
            Assert.Equal("a.txt#0", index.Lexical("dogs", 5).Single().ChunkId);
            Assert.Empty(index.Lexical("birds", 5));
        }
    }

    [Fact]
    public async Task Binary_and_non_utf8_files_are_skipped_with_a_warning_naming_them_and_an_empty_corpus_is_an_error()
    {
        dir.Write("docs/good.txt", "Readable.");
        File.WriteAllBytes(dir.Path("docs", "blob.txt"), [0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]);
        File.WriteAllBytes(dir.Path("docs", "latin1.md"), [0x63, 0x61, 0x66, 0xe9]);
        File.WriteAllBytes(dir.Path("docs", "image.png"), [0x89, 0x50, 0x4e, 0x47]);
        using var index = CorpusIndex.Open(null);

        var result = await CorpusIngest.RunAsync(index, new CorpusSource([dir.Path("docs")]), null);

        Assert.Equal(1, result.Chunks);
        Assert.Contains(result.Warnings, w => w.Contains("blob.txt", StringComparison.Ordinal) && w.Contains("binary", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("latin1.md", StringComparison.Ordinal) && w.Contains("UTF-8", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("image.png", StringComparison.Ordinal));

        Directory.CreateDirectory(dir.Path("empty"));
        dir.Write("empty/blank.txt", "  \n");
        var error = await Assert.ThrowsAsync<InputException>(() => CorpusIngest.RunAsync(CorpusIndex.Open(null), new CorpusSource([dir.Path("empty")]), null));
        Assert.Contains("no text", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InputException>(() => CorpusIngest.RunAsync(CorpusIndex.Open(null), new CorpusSource([dir.Path("missing")]), null));
    }

    [Fact]
    public async Task Records_without_their_field_or_with_a_repeated_id_are_errors_naming_file_line_and_field()
    {
        dir.Write("a.jsonl", "{\"id\": \"x\", \"text\": \"one\"}\n{\"id\": \"y\", \"body\": \"two\"}\n");
        dir.Write("b.jsonl", "{\"id\": \"x\", \"text\": \"one\"}\n{\"id\": \"x\", \"text\": \"again\"}\n");
        dir.Write("c.jsonl", "{\"id\": \"x\", \"text\": \"one\"}\nnot json\n");

        var missing = await Assert.ThrowsAsync<InputException>(() => CorpusIngest.RunAsync(CorpusIndex.Open(null), new CorpusSource([dir.Path("a.jsonl")], Id: "id"), null));
        var repeated = await Assert.ThrowsAsync<InputException>(() => CorpusIngest.RunAsync(CorpusIndex.Open(null), new CorpusSource([dir.Path("b.jsonl")], Id: "id"), null));
        var broken = await Assert.ThrowsAsync<InputException>(() => CorpusIngest.RunAsync(CorpusIndex.Open(null), new CorpusSource([dir.Path("c.jsonl")]), null));

        Assert.Equal((dir.Path("a.jsonl"), 2, "text"), (missing.File, missing.Line, missing.Field));
        Assert.Contains("'x' is used twice", repeated.Message, StringComparison.Ordinal);
        Assert.Equal(2, broken.Line);
    }

    [Fact]
    public async Task Csv_rows_are_named_by_their_first_line_and_a_malformed_row_is_an_error_naming_file_and_line()
    {
        dir.Write("rows.csv", "text;note\n\"two\nlines\";a\nsecond;b\n");
        dir.Write("bad.csv", "text\nfine\n\"never closed\nstill open\n");
        using var index = CorpusIndex.Open(null);

        await CorpusIngest.RunAsync(index, new CorpusSource([dir.Path("rows.csv")]), null);
        var error = await Assert.ThrowsAsync<InputException>(() => CorpusIngest.RunAsync(CorpusIndex.Open(null), new CorpusSource([dir.Path("bad.csv")]), null));

        Assert.Equal(["two\nlines", "second"], index.Chunks(["rows.csv:2#0", "rows.csv:4#0"]).Select(c => c.Text));
        Assert.Equal((dir.Path("bad.csv"), 3), (error.File, error.Line));
        Assert.Equal($"{dir.Path("bad.csv")}:3: malformed CSV: a quoted field is never closed", error.Message);
    }

    public void Dispose() => dir.Dispose();
}

/// <summary>Alone, after the parallel tests: the heap it measures is the whole process's.</summary>
[CollectionDefinition(nameof(StreamingIngestTests), DisableParallelization = true)]
public sealed class StreamingIngestCollection;

[Collection(nameof(StreamingIngestTests))]
public sealed class StreamingIngestTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempDir dir = new();

    [Fact]
    public async Task A_corpus_far_larger_than_the_heap_it_uses_streams_through_ingest()
    {
        var file = dir.Path("big.jsonl");
        using (var writer = new StreamWriter(file))
        {
            var filler = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"token{i % 17}"));
            // Large enough that the ingest's fixed buffers (the lexical index's 8 MB, about 12 MB of heap at their fullest)
            // stand well clear of a quarter of the file: a pipeline that held the corpus would cross it, one that streams never.
            for (var i = 0; i < 200_000; i++)
            {
                writer.WriteLine($"{{\"id\": \"r{i}\", \"text\": \"record {i} {filler}\"}}");
            }
        }

        var size = new FileInfo(file).Length;
        using var index = CorpusIndex.Open(dir.Path("big.db"));
        TokenChunker.Count("load the o200k_base vocabulary (tens of MB) before the baseline");
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                // A full collection first: what is still referenced, not garbage awaiting collection.
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                await Task.Delay(50);
            }
        });

        var result = await CorpusIngest.RunAsync(index, new CorpusSource([file], Id: "id"), null);
        await done.CancelAsync();
        await sampler;

        log.WriteLine($"{size / 1e6:F0} MB of JSON Lines, {result.Chunks} chunks, live heap grew by at most {peak / 1e6:F1} MB");
        Assert.Equal(200_000, result.Chunks);
        // The lexical index buffers 8 MB before it flushes to disk; the corpus as UTF-16 text would be twice the file.
        Assert.True(peak < size / 4, $"the heap grew by {peak / 1e6:F1} MB while ingesting {size / 1e6:F0} MB");
    }

    public void Dispose() => dir.Dispose();
}

public sealed class RetrieverTests : IDisposable
{
    private readonly TempDir dir = new();

    [Fact]
    public async Task Any_vector_store_serves_as_the_retriever_and_the_built_in_one_agrees_with_dense_search()
    {
        dir.Write("docs/pets.jsonl", string.Join("\n",
            "{\"id\": \"a\", \"text\": \"Sue had a dog named Rex.\"}",
            "{\"id\": \"b\", \"text\": \"Tom had a cat named Kit.\"}",
            "{\"id\": \"c\", \"text\": \"The stock market fell on Monday.\"}",
            "{\"id\": \"d\", \"text\": \"Zoe had a bird named Lucky.\"}"));
        using var index = CorpusIndex.Open(null);
        using var encoder = new AdaptLab.Engine.LocalEngine().OpenSentenceEncoder();
        await CorpusIngest.RunAsync(index, new CorpusSource([dir.Path("docs")], Id: "id"), encoder);

        var dense = await new CorpusRetriever(index, encoder, new RetrieveOptions(RetrievalMode.Dense, K: 3)).RetrieveAsync("What is the name of Sue's dog?");
        var store = new VectorStoreRetriever<AdaptLab.Retrieval.Chunk>(new CorpusVectorSearch(index, encoder), c => c, new RetrieveOptions(K: 3), "built-in");
        var viaStore = await store.RetrieveAsync("What is the name of Sue's dog?");

        Assert.Equal("a#0", dense[0].Chunk.Id);
        Assert.Equal(dense.Select(c => c.Chunk.Id), viaStore.Select(c => c.Chunk.Id));
        Assert.Equal(dense.Select(c => Math.Round(c.Score, 5)), viaStore.Select(c => Math.Round(c.Score, 5)));
        Assert.Contains("built-in", store.Identity, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mmr_prefers_a_chunk_unlike_those_chosen_and_the_token_budget_cuts_in_rank_order()
    {
        dir.Write("docs/d.jsonl", string.Join("\n",
            "{\"id\": \"a\", \"text\": \"Rex is a brown dog who likes to run in the park.\"}",
            "{\"id\": \"b\", \"text\": \"Rex is a brown dog who loves to run in the park.\"}",
            "{\"id\": \"c\", \"text\": \"Rex the dog sleeps in a basket by the fire.\"}"));
        using var index = CorpusIndex.Open(null);
        using var encoder = new AdaptLab.Engine.LocalEngine().OpenSentenceEncoder();
        await CorpusIngest.RunAsync(index, new CorpusSource([dir.Path("docs")], Id: "id"), encoder);
        const string query = "Rex the brown dog runs in the park";

        var plain = await new CorpusRetriever(index, encoder, new RetrieveOptions(RetrievalMode.Dense, K: 2)).RetrieveAsync(query);
        var diverse = await new CorpusRetriever(index, encoder, new RetrieveOptions(RetrievalMode.Dense, K: 2, MmrLambda: 0.3)).RetrieveAsync(query);
        var budget = await new CorpusRetriever(index, encoder, new RetrieveOptions(RetrievalMode.Dense, K: 3, TokenBudget: plain[0].Chunk.Tokens + 1)).RetrieveAsync(query);

        Assert.Equal(["a#0", "b#0"], plain.Select(c => c.Chunk.Id).Order());
        Assert.Contains("c#0", diverse.Select(c => c.Chunk.Id));
        Assert.Equal([plain[0].Chunk.Id], budget.Select(c => c.Chunk.Id));
        Assert.Throws<InvalidOperationException>(() => new CorpusRetriever(index, null, new RetrieveOptions(RetrievalMode.Hybrid)));
    }

    public void Dispose() => dir.Dispose();
}
