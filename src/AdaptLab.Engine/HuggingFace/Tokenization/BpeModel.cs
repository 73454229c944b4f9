using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace AdaptLab.Engine.HuggingFace.Tokenization;

/// <summary>
/// tokenizer.json's BPE model. Merging is Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>, built from the
/// vocab and merges; two Hugging Face options it lacks are handled around it: ignore_merges (a word already
/// in the vocabulary is one token, as Llama 3 expects) and byte_fallback (a character outside the vocabulary
/// becomes its UTF-8 bytes' &lt;0xXX&gt; tokens, as SentencePiece does).
/// </summary>
internal sealed class BpeModel
{
    private readonly BpeTokenizer bpe;
    private readonly Dictionary<string, int> vocab;
    private readonly bool ignoreMerges;
    private readonly int[]? byteTokens;

    private BpeModel(BpeTokenizer bpe, Dictionary<string, int> vocab, bool ignoreMerges, int[]? byteTokens)
    {
        this.bpe = bpe;
        this.vocab = vocab;
        this.ignoreMerges = ignoreMerges;
        this.byteTokens = byteTokens;
    }

    public IReadOnlyDictionary<string, int> Vocab => vocab;

    /// <summary>Whether ids [0x00..0xFF] of &lt;0xXX&gt; pieces stand for raw bytes.</summary>
    public bool HasByteFallback => byteTokens is not null;

    public static BpeModel Parse(JsonElement spec, string path)
    {
        var type = HfTokenizerJson.Type(spec, path, "model");
        if (type != "BPE")
        {
            throw new FormatException($"{path}: model type {type} is not supported (only BPE).");
        }

        foreach (var option in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (spec.TryGetProperty(option, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0)
            {
                throw new FormatException($"{path}: BPE {option} is not supported.");
            }
        }

        if (spec.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
        {
            throw new FormatException($"{path}: BPE dropout is not supported for inference.");
        }

        var vocab = spec.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var merges = spec.GetProperty("merges").EnumerateArray().Select(m => MergeLine(m, path)).ToList();
        var bpe = BpeTokenizer.Create(new BpeOptions(vocab) { Merges = merges });
        var ignoreMerges = Flag(spec, "ignore_merges");
        var byteTokens = Flag(spec, "byte_fallback") ? ByteTokens(vocab, path) : null;
        return new BpeModel(bpe, vocab, ignoreMerges, byteTokens);
    }

    public void Encode(string word, List<int> ids)
    {
        if (ignoreMerges && vocab.TryGetValue(word, out var whole))
        {
            ids.Add(whole);
            return;
        }

        if (byteTokens is null)
        {
            ids.AddRange(bpe.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
            return;
        }

        // Byte tokens never merge, so the runs of in-vocabulary characters between fallen-back ones merge on their own.
        var run = new StringBuilder();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in word.EnumerateRunes())
        {
            var character = rune.ToString();
            if (vocab.ContainsKey(character))
            {
                run.Append(character);
                continue;
            }

            Flush(run, ids);
            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)])
            {
                ids.Add(byteTokens[b]);
            }
        }

        Flush(run, ids);
    }

    private void Flush(StringBuilder run, List<int> ids)
    {
        if (run.Length > 0)
        {
            ids.AddRange(bpe.EncodeToIds(run.ToString(), considerPreTokenization: false, considerNormalization: false));
            run.Clear();
        }
    }

    private static string MergeLine(JsonElement merge, string path) => merge.ValueKind switch
    {
        JsonValueKind.String => merge.GetString()!,
        JsonValueKind.Array when merge.GetArrayLength() == 2 => $"{merge[0].GetString()} {merge[1].GetString()}",
        _ => throw new FormatException($"{path}: merge {merge} is neither \"a b\" nor [a, b]."),
    };

    private static bool Flag(JsonElement spec, string name) =>
        spec.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static int[] ByteTokens(Dictionary<string, int> vocab, string path) =>
        [.. Enumerable.Range(0, 256).Select(b => vocab.TryGetValue($"<0x{b:X2}>", out var id)
            ? id
            : throw new FormatException($"{path}: byte_fallback is on but the vocab has no <0x{b:X2}> token."))];
}
