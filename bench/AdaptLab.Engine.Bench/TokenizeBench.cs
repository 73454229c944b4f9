using System.Diagnostics;
using System.Globalization;
using System.Text;
using AdaptLab.Engine.LlamaC;

namespace AdaptLab.Engine.Bench;

/// <summary>
/// <c>AdaptLab.Engine.Bench tokenize [--sizes 20000,48000,200000,1000000] [--peer-max 48000] [--tokenizer .../tok512.bin]</c>:
/// times <see cref="LlamaCTokenizer.Encode(string, bool)"/> on story-like text of each size (UTF-8 bytes), against
/// llama2.c run.c's encode() merge loop (a rescan of every pair per merge, quadratic) up to --peer-max, and
/// checks both give the same ids. Linear tokenising shows as a flat microseconds-per-KB column.
/// </summary>
internal static class TokenizeBench
{
    public const string Command = "tokenize";

    private const string Story = "Once upon a time, there was a little girl named Lily. She loved to play outside in the sunshine. "
        + "One day, she saw a big, shiny red ball in the park! \"Can I play with it?\" she asked her mom. Tom and Sam ran to the pond, "
        + "where a frog said: {\"name\": \"Hop\", \"age\": 3}. naïve café — 東京 🙂\n";

    public static void Run(string[] args)
    {
        var sizes = new[] { 20_000, 48_000, 200_000, 1_000_000 };
        var peerMax = 48_000;
        var tokenizerPath = Path.Combine(Path.GetDirectoryName(FindStories())!, "tok512.bin");
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--sizes":
                    sizes = [.. value.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--peer-max":
                    peerMax = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--tokenizer":
                    tokenizerPath = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}; see TokenizeBench.cs.");
            }
        }

        var tokenizer = LlamaCTokenizer.Load(tokenizerPath);
        var peer = QuadraticPeer.Load(tokenizerPath);
        tokenizer.Encode(Text(2_000), addBos: true); // warm-up
        Console.WriteLine($"{"bytes",10} {"tokens",9} {"adaptlab ms",12} {"us/KB",8} {"run.c loop ms",14} {"same ids",9}");
        foreach (var size in sizes)
        {
            var text = Text(size);
            var clock = Stopwatch.StartNew();
            var ids = tokenizer.Encode(text, addBos: true);
            var ours = clock.Elapsed.TotalMilliseconds;
            var peerColumn = "-";
            var same = "-";
            if (size <= peerMax)
            {
                clock.Restart();
                var reference = peer.Encode(text);
                peerColumn = clock.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture);
                same = reference.SequenceEqual(ids) ? "yes" : "NO";
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size,10} {ids.Count,9} {ours,12:F1} {ours * 1000 / (size / 1024.0),8:F1} {peerColumn,14} {same,9}"));
        }
    }

    /// <summary>The story repeated to <paramref name="bytes"/> UTF-8 bytes (cut at a character boundary).</summary>
    private static string Text(int bytes)
    {
        var text = new StringBuilder();
        var length = 0;
        while (true)
        {
            foreach (var rune in Story.EnumerateRunes())
            {
                if (length + rune.Utf8SequenceLength > bytes)
                {
                    return text.ToString();
                }

                text.Append(rune.ToString());
                length += rune.Utf8SequenceLength;
            }
        }
    }

    private static string FindStories()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models", "stories260K", "stories260K.bin");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("shared/models/stories260K not found above the bench; pass --tokenizer.");
    }

    /// <summary>run.c's encode(): per merge, a scan of every adjacent pair for the best score (leftmost on ties).</summary>
    private sealed class QuadraticPeer(string[] pieces, float[] scores, Dictionary<string, int> lookup)
    {
        public static QuadraticPeer Load(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var pieces = new List<string>();
            var scores = new List<float>();
            for (var offset = 4; offset < bytes.Length;)
            {
                scores.Add(BitConverter.ToSingle(bytes, offset));
                var length = BitConverter.ToInt32(bytes, offset + 4);
                pieces.Add(Encoding.Latin1.GetString(bytes, offset + 8, length));
                offset += 8 + length;
            }

            var lookup = new Dictionary<string, int>();
            for (var id = 3 + 256; id < pieces.Count; id++)
            {
                lookup.TryAdd(pieces[id], id);
            }

            return new QuadraticPeer([.. pieces], [.. scores], lookup);
        }

        public List<int> Encode(string text)
        {
            var tokens = new List<int> { 1, lookup[" "] };
            var utf8 = Encoding.UTF8.GetBytes(text);
            for (var start = 0; start < utf8.Length;)
            {
                var end = start + 1;
                while (end < utf8.Length && (utf8[end] & 0xC0) == 0x80 && end - start < 4)
                {
                    end++;
                }

                var character = Encoding.Latin1.GetString(utf8, start, end - start);
                if (lookup.TryGetValue(character, out var id))
                {
                    tokens.Add(id);
                }
                else
                {
                    tokens.AddRange(utf8[start..end].Select(b => 3 + b));
                }

                start = end;
            }

            while (true)
            {
                var (best, bestIndex, bestId) = (float.NegativeInfinity, -1, -1);
                for (var i = 1; i < tokens.Count - 1; i++)
                {
                    if (lookup.TryGetValue(pieces[tokens[i]] + pieces[tokens[i + 1]], out var id) && scores[id] > best)
                    {
                        (best, bestIndex, bestId) = (scores[id], i, id);
                    }
                }

                if (bestIndex < 0)
                {
                    return tokens;
                }

                tokens[bestIndex] = bestId;
                tokens.RemoveAt(bestIndex + 1);
            }
        }
    }
}
