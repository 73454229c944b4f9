using AdaptLab.Engine.ChatTemplates;
using AdaptLab.Engine.Generation;
using AdaptLab.Engine.HuggingFace;
using AdaptLab.Engine.Tests.HuggingFace;
using AdaptLab.Engine.LlamaC;
using AdaptLab.Tests.Support;

namespace AdaptLab.Engine.Tests;

public class LlamaCTokenizerTests
{
    // A line-by-line transcription of llama2.c run.c's encode(): byte-wise vocab lookup, dummy prefix, UTF-8
    // characters or <0xXX> fallback, then highest-score pair merges.
    private const string LlamaCEncode = """
        import json, struct, sys
        req = json.load(sys.stdin)
        data = open(req["tokenizer"], "rb").read()
        vocab, scores, off = [], [], 4
        while off < len(data):
            score, n = struct.unpack_from("<fi", data, off); off += 8
            vocab.append(data[off:off + n]); scores.append(score); off += n
        lookup = {}
        for i, piece in enumerate(vocab):
            lookup.setdefault(piece, i)
        def encode(text):
            tokens = [1]
            raw = text.encode("utf-8")
            if raw:
                tokens.append(lookup[b" "])
            buf = b""
            for i, c in enumerate(raw):
                if c & 0xC0 != 0x80:
                    buf = b""
                buf += bytes([c])
                if i + 1 < len(raw) and raw[i + 1] & 0xC0 == 0x80 and len(buf) < 4:
                    continue
                if buf in lookup:
                    tokens.append(lookup[buf])
                else:
                    tokens.extend(b + 3 for b in buf)
                buf = b""
            while True:
                best, best_id, best_idx = -1e10, -1, -1
                for i in range(len(tokens) - 1):
                    pair = vocab[tokens[i]] + vocab[tokens[i + 1]]
                    if pair in lookup and scores[lookup[pair]] > best:
                        best, best_id, best_idx = scores[lookup[pair]], lookup[pair], i
                if best_idx == -1:
                    break
                tokens[best_idx:best_idx + 2] = [best_id]
            return tokens
        print(json.dumps([encode(t) for t in req["texts"]]))
        """;

    private static readonly string[] Texts =
    [
        "Once upon a time, there was a little girl named Lily.",
        "Tom had a cat named Buddy. One day, Tom and Buddy went to the pond.",
        "Text: Mia had a dog.\nJSON: {\"owner\": \"Mia\", \"pet\": \"dog\"}",
        "  two leading spaces,\ttabs\tand trailing  ",
        "naïve café — “quotes” 東京 🙂",
        "a",
        "<0x7D> literal byte-token text",
        // Long, with runs of equal pairs whose merges tie on score: the leftmost must win, as in run.c.
        string.Concat(Enumerable.Repeat("Once upon a time, Lily and Tom saw a big dog. aaaaaaaaaaaaaaaaa        ....!!!! 東京🙂\n", 60)),
    ];

    [Fact]
    public void Encode_matches_a_transcription_of_llama2c_encode()
    {
        var expected = PythonReference.Run(LlamaCEncode, new { tokenizer = Stories260K.TokenizerPath, texts = Texts });
        var tokenizer = Stories260K.Tokenizer();

        for (var i = 0; i < Texts.Length; i++)
        {
            var reference = expected[i].EnumerateArray().Select(e => e.GetInt32()).ToList();
            Assert.Equal(reference, tokenizer.Encode(Texts[i], addBos: true));
        }
    }

    [Theory]
    [InlineData("Once upon a time, there was a little girl named Lily.")]
    [InlineData("naïve café — “quotes” 東京 🙂\n{\"a\": 1}")]
    [InlineData("  spaces  and\nnewlines\n")]
    [InlineData("")]
    public void Decode_inverts_encode(string text)
    {
        var tokenizer = Stories260K.Tokenizer();

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text, addBos: true, addEos: true)));
    }

    [Fact]
    public void Special_tokens_in_mid_text_decode_as_the_huggingface_llama2_tokenizer_decodes_them()
    {
        // A prompt's <s>, </s> and <unk> become control ids, the text around them is encoded with its dummy
        // prefix (as Llama 2's tokenizer.json does); decoding drops the controls and keeps the words' spaces.
        string[] texts = ["x<s>y", "x</s>y", "x <s> y", "<s>y", "<s><s>x", "a</s></s>b", "x<unk>y", "Hello<s>world</s>", " x<s> y ", "</s> lead", "one<s>\ntwo"];
        var (_, expected) = NodeTokenizersReference.EncodeAndDecode(
            Path.Combine(NodeTokenizersReference.LenmlModels("llama2"), HfTokenizer.TokenizerFile), texts);
        var tokenizer = Stories260K.Tokenizer();
        var template = ChatTemplate.BuiltIn("llama2");

        for (var i = 0; i < texts.Length; i++)
        {
            var ids = ChatPromptEncoder.Encode(tokenizer, texts[i], template);
            Assert.Equal(expected[i], tokenizer.Decode(ids));
        }

        Assert.Equal("x y", tokenizer.Decode(ChatPromptEncoder.Encode(tokenizer, "x<s>y", template)));
    }

    [Fact]
    public void Braces_fall_back_to_byte_tokens_and_quote_colon_comma_are_pieces()
    {
        var tokenizer = Stories260K.Tokenizer();
        var ids = tokenizer.Encode("{\"a\":1,}", addBos: false);

        Assert.Contains(3 + '{', ids);
        Assert.Contains(3 + '}', ids);
        Assert.Equal("<0x7B>", tokenizer.Piece(3 + '{'));
        Assert.All(new[] { "\"", ":", "," }, p => Assert.Contains(ids, id => tokenizer.Piece(id).Contains(p, StringComparison.Ordinal)));
    }

    [Fact]
    public void Bos_and_eos_wrap_the_text_and_an_empty_text_has_no_dummy_prefix()
    {
        var tokenizer = Stories260K.Tokenizer();

        Assert.Equal([LlamaCTokenizer.BosId], tokenizer.Encode("", addBos: true));
        var ids = tokenizer.Encode("a", addBos: true, addEos: true);
        Assert.Equal(LlamaCTokenizer.BosId, ids[0]);
        Assert.Equal(" a", tokenizer.Piece(ids[1]));
        Assert.Equal(LlamaCTokenizer.EosId, ids[^1]);
        Assert.Equal(3, ids.Count);
    }

    [Fact]
    public void Greedy_output_re_encodes_to_the_tokens_the_model_generated()
    {
        var generator = Stories260K.Generator();
        var generated = generator.Complete([LlamaCTokenizer.BosId], new GenerationOptions { Temperature = 0, MaxTokens = 60 })
            .Where(c => c.TokenId is not null).Select(c => c.TokenId!.Value).ToList();

        var text = generator.Tokenizer.Decode([LlamaCTokenizer.BosId, .. generated]);

        Assert.Equal([LlamaCTokenizer.BosId, .. generated], generator.Tokenizer.Encode(text, addBos: true));
    }

    [Fact]
    public void Truncated_tokenizer_file_is_a_format_error_naming_the_token()
    {
        var path = Path.GetTempFileName();
        try
        {
            var bytes = File.ReadAllBytes(Stories260K.TokenizerPath);
            File.WriteAllBytes(path, bytes[..^3]);

            var error = Assert.Throws<FormatException>(() => LlamaCTokenizer.Load(path));
            Assert.Contains("token 511", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
