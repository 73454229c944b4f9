using System.Buffers.Binary;
using System.Text;
using AdaptLab.Engine.Generation;

namespace AdaptLab.Engine.LlamaC;

/// <summary>
/// The SentencePiece BPE tokenizer as llama2.c stores it (tokenizer.bin: int32 max_token_length, then per
/// token a float32 score, an int32 byte length and the UTF-8 bytes, with '▁' already turned into ' ').
/// Microsoft.ML.Tokenizers' SentencePieceTokenizer implements the same algorithm but can only be built from
/// a SentencePiece model protobuf, which this format does not carry (no piece types, no normalizer spec).
/// </summary>
public sealed class LlamaCTokenizer : ITokenizer
{
    public const int UnknownId = 0;
    public const int BosId = 1;
    public const int EosId = 2;
    private const int FirstByteId = 3;

    // Pieces are byte strings; Latin-1 maps each byte to one char, so they can key a dictionary and concatenate.
    private readonly string[] pieces;
    private readonly float[] scores;
    private readonly Dictionary<string, int> mergeable;
    private readonly int spaceId;

    private LlamaCTokenizer(string[] pieces, float[] scores, string source)
    {
        this.pieces = pieces;
        this.scores = scores;
        for (var b = 0; b < 256; b++)
        {
            if (FirstByteId + b >= pieces.Length || pieces[FirstByteId + b] != $"<0x{b:X2}>")
            {
                throw new FormatException($"{source}: token {FirstByteId + b} should be the byte-fallback piece <0x{b:X2}>.");
            }
        }

        // As in SentencePiece, control and byte pieces are never the result of a merge; the first of duplicate
        // pieces wins.
        mergeable = [];
        for (var id = FirstByteId + 256; id < pieces.Length; id++)
        {
            mergeable.TryAdd(pieces[id], id);
        }

        spaceId = mergeable.TryGetValue(" ", out var space)
            ? space
            : throw new FormatException($"{source}: no ' ' piece for the dummy prefix.");
    }

    public int VocabSize => pieces.Length;

    /// <summary>
    /// Whether generation ends at this token: EOS, or BOS, which llama2.c's models emit between documents
    /// (its run.c stops there too).
    /// </summary>
    public bool EndsText(int id) => id is EosId or BosId;

    public static LlamaCTokenizer Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var pieces = new List<string>();
        var scores = new List<float>();
        var offset = sizeof(int); // max_token_length: not needed, pieces carry their own lengths
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 8)
            {
                throw new FormatException($"{path}: truncated entry for token {pieces.Count} at byte {offset}.");
            }

            var score = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset));
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            offset += 8;
            if (length < 0 || length > bytes.Length - offset)
            {
                throw new FormatException($"{path}: token {pieces.Count} claims {length} bytes at byte {offset}.");
            }

            pieces.Add(Encoding.Latin1.GetString(bytes, offset, length));
            scores.Add(score);
            offset += length;
        }

        return new LlamaCTokenizer([.. pieces], [.. scores], path);
    }

    /// <summary>
    /// Token ids for <paramref name="text"/>: a dummy-prefix space, each UTF-8 character as its piece or
    /// its bytes' fallback tokens, then repeatedly the adjacent pair whose concatenation is the
    /// highest-scoring piece merged (leftmost on ties), as llama2.c's encode() does.
    /// </summary>
    public List<int> Encode(string text, bool addBos) => Encode(text, addBos, addEos: false);

    /// <inheritdoc cref="Encode(string, bool)"/>
    public List<int> Encode(string text, bool addBos, bool addEos)
    {
        var tokens = new List<int>();
        if (addBos)
        {
            tokens.Add(BosId);
        }

        var textStart = tokens.Count;
        if (text.Length > 0)
        {
            tokens.Add(spaceId);
            foreach (var character in Utf8Characters(Encoding.UTF8.GetBytes(text)))
            {
                if (mergeable.TryGetValue(character, out var id))
                {
                    tokens.Add(id);
                }
                else
                {
                    tokens.AddRange(character.Select(b => FirstByteId + b));
                }
            }

            MergePairs(tokens, textStart);
        }

        if (addEos)
        {
            tokens.Add(EosId);
        }

        return tokens;
    }

    /// <summary>The bytes token <paramref name="id"/> stands for when it follows <paramref name="previousId"/>.</summary>
    public byte[] TokenBytes(int previousId, int id)
    {
        if (id < 0 || id >= pieces.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token ids run from 0 to {pieces.Length - 1}.");
        }

        if (id is UnknownId or BosId or EosId)
        {
            return [];
        }

        if (id < FirstByteId + 256)
        {
            return [(byte)(id - FirstByteId)];
        }

        var piece = pieces[id];
        // The dummy prefix's space is not part of the text at the start or after BOS (llama2.c's run.c).
        var text = (previousId is BosId or < 0) && piece.StartsWith(' ') ? piece[1..] : piece;
        return Encoding.Latin1.GetBytes(text);
    }

    /// <summary>
    /// Text of a token sequence; control tokens decode to nothing, invalid UTF-8 to U+FFFD. As SentencePiece
    /// (and Hugging Face's Llama 2 tokenizer) decode, the dummy-prefix space is dropped only from the piece that
    /// starts the text (the first one that is not a control token): a BOS in mid-text keeps the next word's space ("x&lt;s&gt;y" encodes to ▁x &lt;s&gt; ▁y and
    /// decodes to "x y").
    /// </summary>
    public string Decode(IReadOnlyList<int> ids)
    {
        var bytes = new List<byte>();
        var first = true;
        foreach (var id in ids.Where(id => id is not (UnknownId or BosId or EosId)))
        {
            bytes.AddRange(TokenBytes(first ? -1 : EosId, id));
            first = false;
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>The piece's merge score: higher merges first.</summary>
    internal float Score(int id) => scores[id];

    /// <summary>The piece's text as stored (byte tokens as &lt;0xXX&gt;), for diagnostics and exports.</summary>
    public string Piece(int id) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(pieces[id]));

    /// <summary>
    /// Merges as llama2.c does (the best-scoring adjacent pair, leftmost on ties, until none is a piece) in
    /// O(n log n): the symbols form a linked list, and every adjacent mergeable pair waits in a heap ordered
    /// by score, then position. A merge only creates the two pairs around the merged symbol; entries whose
    /// symbols have since changed are skipped when they surface.
    /// </summary>
    private void MergePairs(List<int> tokens, int start)
    {
        var count = tokens.Count - start;
        if (count < 2)
        {
            return;
        }

        // Symbol i's token, and its neighbours in the list (-1 at the ends); a merge keeps the left symbol's
        // index, so indices keep the text's order.
        var ids = new int[count];
        var prev = new int[count];
        var next = new int[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = tokens[start + i];
            prev[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
        }

        var pairs = new PriorityQueue<Pair, (float Score, int Left)>(count, PairOrder.Instance);
        for (var i = 0; i + 1 < count; i++)
        {
            Enqueue(pairs, ids, i, i + 1);
        }

        while (pairs.TryDequeue(out var pair, out _))
        {
            // Stale: a symbol was merged away or changed since the pair was queued.
            if (next[pair.Left] != pair.Right || ids[pair.Left] != pair.LeftId || ids[pair.Right] != pair.RightId)
            {
                continue;
            }

            ids[pair.Left] = pair.Merged;
            ids[pair.Right] = -1;
            var after = next[pair.Right];
            next[pair.Left] = after;
            if (after >= 0)
            {
                prev[after] = pair.Left;
                Enqueue(pairs, ids, pair.Left, after);
            }

            if (prev[pair.Left] >= 0)
            {
                Enqueue(pairs, ids, prev[pair.Left], pair.Left);
            }
        }

        tokens.RemoveRange(start, count);
        for (var i = 0; i >= 0; i = next[i])
        {
            tokens.Add(ids[i]);
        }
    }

    private void Enqueue(PriorityQueue<Pair, (float Score, int Left)> pairs, int[] ids, int left, int right)
    {
        // A piece scored -inf (or NaN) never wins llama2.c's scan, so it never merges.
        if (mergeable.TryGetValue(pieces[ids[left]] + pieces[ids[right]], out var merged) && scores[merged] > float.NegativeInfinity)
        {
            pairs.Enqueue(new Pair(left, right, ids[left], ids[right], merged), (scores[merged], left));
        }
    }

    private readonly record struct Pair(int Left, int Right, int LeftId, int RightId, int Merged);

    /// <summary>Highest score first; on equal scores the leftmost pair, as llama2.c's strict &gt; scan picks it.</summary>
    private sealed class PairOrder : IComparer<(float Score, int Left)>
    {
        public static readonly PairOrder Instance = new();

        public int Compare((float Score, int Left) x, (float Score, int Left) y) =>
            x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Left.CompareTo(y.Left);
    }

    /// <summary>Splits UTF-8 into characters (a lead byte and its continuation bytes, at most 4) as Latin-1 strings.</summary>
    private static IEnumerable<string> Utf8Characters(byte[] utf8)
    {
        var start = 0;
        for (var i = 1; i <= utf8.Length; i++)
        {
            var continues = i < utf8.Length && (utf8[i] & 0xC0) == 0x80 && i - start < 4;
            if (!continues)
            {
                yield return Encoding.Latin1.GetString(utf8, start, i - start);
                start = i;
            }
        }
    }
}
