using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace AdaptLab.Retrieval.Index;

/// <summary>
/// BM25 (k1 1.2, b 0.75) over the chunks with Lucene.Net and its English analyzer (Unicode word tokens, possessives,
/// lower case, English stop words, Porter stemming). Chosen over SQLite FTS5 after measuring both on 100,000 chunks:
/// FTS5 scores every row a query term matches while Lucene prunes to the top k; its median query took 1/18 of FTS5's
/// time with stop words left out of the FTS5 query, 1/104 with them (bench/README.md). The query's words are OR-ed as
/// plain terms, so no query text is read as query syntax. It is
/// derived data: <see cref="CorpusIndex"/> rebuilds it from the chunks whenever its last commit is not the corpus's.
/// </summary>
internal sealed class LexicalIndex : IDisposable
{
    private const string IdField = "id";
    private const string FileField = "file";
    private const string TextField = "text";
    private const double RamBufferMb = 8;
    private static readonly LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly LuceneDirectory directory;
    private readonly Analyzer analyzer = new EnglishAnalyzer(Version);
    private readonly System.Threading.Lock gate = new();
    private IndexWriter? writer;
    private DirectoryReader? reader;

    /// <param name="folder">The index folder, or null for one in memory.</param>
    public LexicalIndex(string? folder) => directory = folder is null ? new RAMDirectory() : FSDirectory.Open(folder);

    /// <summary>The corpus version of the last commit, or null when nothing was committed.</summary>
    public string? CommittedVersion
    {
        get
        {
            if (!DirectoryReader.IndexExists(directory))
            {
                return null;
            }

            var commit = new SegmentInfos();
            commit.Read(directory);
            return commit.UserData.TryGetValue("version", out var version) ? version : null;
        }
    }

    public void Add(string file, IEnumerable<(string Id, string Text)> chunks)
    {
        var w = Writer();
        foreach (var (id, text) in chunks)
        {
            w.AddDocument([new StringField(IdField, id, Field.Store.YES), new StringField(FileField, file, Field.Store.NO), new TextField(TextField, text, Field.Store.NO)]);
        }
    }

    public void Remove(string file) => Writer().DeleteDocuments(new Term(FileField, file));

    public void Clear() => Writer().DeleteAll();

    /// <summary>
    /// Makes the changes durable and visible to searches, marked with the corpus version they match, and lets go of the
    /// write lock: task files that share a corpus share its index, so another process may ingest it next.
    /// </summary>
    public void Commit(string version)
    {
        if (writer is null && CommittedVersion == version)
        {
            return;
        }

        var w = Writer();
        w.SetCommitData(new Dictionary<string, string> { ["version"] = version });
        w.Commit();
        lock (gate)
        {
            w.Dispose();
            writer = null;
            reader?.Dispose();
            reader = null;
        }
    }

    public IReadOnlyList<SearchHit> Search(string query, int k)
    {
        var terms = new BooleanQuery();
        using (var stream = analyzer.GetTokenStream(TextField, query))
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (stream.IncrementToken() && seen.Count < BooleanQuery.MaxClauseCount)
            {
                if (seen.Add(term.ToString()))
                {
                    terms.Add(new TermQuery(new Term(TextField, term.ToString())), Occur.SHOULD);
                }
            }

            stream.End();
        }

        if (terms.Clauses.Count == 0 || Reader() is not { } current)
        {
            return [];
        }

        var searcher = new IndexSearcher(current) { Similarity = new BM25Similarity() };
        return [.. searcher.Search(terms, k).ScoreDocs.Select(d => new SearchHit(searcher.Doc(d.Doc).Get(IdField), d.Score))];
    }

    public void Dispose()
    {
        writer?.Dispose();
        reader?.Dispose();
        analyzer.Dispose();
        directory.Dispose();
    }

    private IndexWriter Writer()
    {
        lock (gate)
        {
            return writer ??= new IndexWriter(directory, new IndexWriterConfig(Version, analyzer)
            {
                Similarity = new BM25Similarity(),
                OpenMode = OpenMode.CREATE_OR_APPEND,
                // What ingest holds in memory for the lexical index, whatever the corpus's size.
                RAMBufferSizeMB = RamBufferMb,
            });
        }
    }

    private DirectoryReader? Reader()
    {
        lock (gate)
        {
            if (reader is null && DirectoryReader.IndexExists(directory))
            {
                reader = DirectoryReader.Open(directory);
            }

            return reader;
        }
    }
}
