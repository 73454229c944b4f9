using System.Text;
using System.Text.Json.Nodes;
using AdaptLab.Engine.HuggingFace;
using AdaptLab.Engine.HuggingFace.Tokenization;

namespace AdaptLab.Engine.Tests.HuggingFace;

public sealed class HfTokenizerTests
{
    private static readonly string[] Texts =
    [
        "Hello world! How are you doing today?",
        "The quick brown fox jumps over the lazy dog. It's 3:45pm; we'll see, they've gone, I'd've.",
        "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
        "for (int i = 0; i < 10; i++) { x += arr[i] * 2; }\r\n\treturn x;",
        "   leading spaces, trailing spaces   ",
        "tabs\t\tand\n\n\nnewlines  \n  mixed \t \n",
        "Numbers: 1234567890 3.14159 -42 1,000,000 ²³",
        "Café naïve résumé coöperate — “quotes” ‘single’ … ©®™",
        "Decomposed: e\u0301 a\u0308 n\u0303 (should normalize where the tokenizer does)",
        "日本語のテキストです。中文文本。한국어 텍스트.",
        "Ελληνικά, Русский текст, עברית, العربية, हिन्दी",
        "Emoji: 🤗🚀😂👍🏽 family 👨‍👩‍👧 flags 🇫🇷🇯🇵",
        "🤗hello👋world emoji next to letters🙂!",
        "Math letters 𝐇𝐞𝐥𝐥𝐨 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and rare CJK 𠀀𠀁 𝟏𝟐𝟑",
        "",
        " ",
        "a",
        "DON'T SHOUT'S 'tis 'LL",
        "https://example.com/path?query=1&b=2#frag user@example.org",
        "    \n\n    indented\n        more",
        "\u00a0non-breaking\u2009thin\u3000ideographic spaces",
        "zero\u200bwidth\u200djoiner\ufeffbom",
    ];

    public static TheoryData<string> Tokenizers => ["qwen3", "llama3", "llama2", "gemma3"];

    public static TheoryData<string> SentencePieceTokenizers => ["llama2", "llama2-metaspace", "gemma3"];

    public static TheoryData<string, bool> SplitBehaviours => new()
    {
        { "Removed", false }, { "Removed", true }, { "Isolated", false }, { "Isolated", true },
        { "MergedWithPrevious", false }, { "MergedWithPrevious", true }, { "MergedWithNext", false }, { "MergedWithNext", true },
        { "Contiguous", false }, { "Contiguous", true },
    };

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Ids_match_the_huggingface_tokenizers_library(string name)
    {
        var models = NodeTokenizersReference.LenmlModels(name);
        var specials = SpecialTexts(name);
        string[] texts = [.. Texts, .. specials];
        var expected = NodeTokenizersReference.Encode(Path.Combine(models, HfTokenizer.TokenizerFile), texts);
        var tokenizer = HfTokenizer.Load(models);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(expected[i].SequenceEqual(tokenizer.Encode(texts[i], addBos: false)),
                $"{name} on {texts[i]}: expected [{string.Join(", ", expected[i])}], got [{string.Join(", ", tokenizer.Encode(texts[i], addBos: false))}]");
        }
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Decoding_gives_back_the_text(string name)
    {
        var tokenizer = HfTokenizer.Load(NodeTokenizersReference.LenmlModels(name));
        // NFC-normalizing tokenizers change decomposed text, so that one line is left out.
        foreach (var text in Texts.Where(t => !t.StartsWith("Decomposed", StringComparison.Ordinal)))
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text, addBos: true)));
        }
    }

    [Theory]
    [InlineData("first", false)]
    [InlineData("always", true)]
    public void Metaspace_pre_tokenizer_ids_match_the_huggingface_tokenizers_library(string prependScheme, bool split)
    {
        // Mistral-style tokenizer.json: Llama 2's vocabulary with the '▁' handling in a Metaspace pre-tokenizer.
        var directory = Directory.CreateTempSubdirectory("hf-metaspace-").FullName;
        try
        {
            var path = Path.Combine(MetaspaceVariant(directory, prependScheme, split), HfTokenizer.TokenizerFile);
            string[] texts = [.. Texts, .. SpecialTexts("llama2")];
            var expected = NodeTokenizersReference.Encode(path, texts);
            var tokenizer = HfTokenizer.Load(directory);
            for (var i = 0; i < texts.Length; i++)
            {
                Assert.True(expected[i].SequenceEqual(tokenizer.Encode(texts[i], addBos: false)),
                    $"{prependScheme}/{split} on {texts[i]}: expected [{string.Join(", ", expected[i])}], got [{string.Join(", ", tokenizer.Encode(texts[i], addBos: false))}]");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(SplitBehaviours))]
    public void Split_pre_tokenizer_behaviours_match_the_huggingface_tokenizers_library(string behavior, bool invert)
    {
        // Qwen3's byte-level BPE cut down to the pieces these texts can reach (so BPE gives the same ids as with the
        // whole vocabulary), behind a Split then a plain ByteLevel step: merges never cross a Split boundary, so
        // where each behaviour cuts shows in the ids.
        string[] texts =
        [
            "Hello, world!  How are you?", "Hello, wooorld!  Too good.", "  leading and trailing  ", "a  b\t\tc\n\nd", "no-separators-here", "..., !? ,.",
            "x", "", " ", "日本語 テキスト、です。 中文", "emoji 🤗 here 🚀! 👨‍👩‍👧", "1,000,000 and 3.14; 42", "tabs\tand\nnewlines \r\n end",
        ];
        JsonObject[] patterns = [new() { ["Regex"] = @"\s+" }, new() { ["Regex"] = "[,.!?;]" }, new() { ["String"] = " " }, new() { ["String"] = "o" }, new() { ["Regex"] = @"\p{L}+" }];
        var directory = Directory.CreateTempSubdirectory("hf-split-").FullName;
        try
        {
            var trimmed = TrimmedByteLevelTokenizer(texts);
            var files = new List<string>();
            foreach (var pattern in patterns)
            {
                var json = WithSplit(trimmed, pattern, behavior, invert);
                var folder = Directory.CreateDirectory(Path.Combine(directory, $"pattern{files.Count}")).FullName;
                File.WriteAllText(Path.Combine(folder, HfTokenizer.TokenizerFile), json.ToJsonString());
                files.Add(folder);
            }

            var expected = NodeTokenizersReference.EncodeEach([.. files.Select(f => (Path.Combine(f, HfTokenizer.TokenizerFile), (IReadOnlyList<string>)texts))]);
            var mismatches = new List<string>();
            for (var p = 0; p < files.Count; p++)
            {
                var tokenizer = HfTokenizer.Load(files[p]);
                for (var i = 0; i < texts.Length; i++)
                {
                    var actual = tokenizer.Encode(texts[i], addBos: false);
                    if (!expected[p][i].SequenceEqual(actual))
                    {
                        mismatches.Add($"{patterns[p].ToJsonString()} on {texts[i]}: expected [{string.Join(", ", expected[p][i])}], got [{string.Join(", ", actual)}]");
                    }
                }
            }

            Assert.True(mismatches.Count == 0, $"{behavior} (invert={invert}):\n{string.Join("\n", mismatches)}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Split_behaviours_cut_the_same_text_differently_in_the_reference()
    {
        // Without this, a Split that ignored its behaviour could pass the comparison above on texts where they agree.
        var directory = Directory.CreateTempSubdirectory("hf-split-").FullName;
        try
        {
            string[] texts = ["Hello, wooorld!  How are you?"];
            var trimmed = TrimmedByteLevelTokenizer(texts);
            var requests = new List<(string, IReadOnlyList<string>)>();
            foreach (var (behavior, invert) in new[] { ("Removed", false), ("Isolated", false), ("MergedWithPrevious", false), ("MergedWithNext", false), ("Contiguous", false), ("Isolated", true) })
            {
                var json = WithSplit(trimmed, new JsonObject { ["String"] = "o" }, behavior, invert);
                var file = Path.Combine(directory, $"{behavior}-{invert}.json");
                File.WriteAllText(file, json.ToJsonString());
                requests.Add((file, texts));
            }

            var ids = NodeTokenizersReference.EncodeEach(requests).Select(r => string.Join(",", r[0])).ToList();
            Assert.Equal(5, ids.Distinct().Count()); // Isolated with invert cuts as Isolated does; the other five differ
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Gemma3s_tokenizer_loads_with_its_merged_with_previous_split()
    {
        var models = NodeTokenizersReference.LenmlModels("gemma3");
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(models, HfTokenizer.TokenizerFile)));
        Assert.Equal("MergedWithPrevious", json.RootElement.GetProperty("pre_tokenizer").GetProperty("behavior").GetString());

        var tokenizer = HfTokenizer.Load(models);

        Assert.Equal(2, tokenizer.BosId); // <bos>, from add_bos_token
        Assert.Equal("Hello world", tokenizer.Decode(tokenizer.Encode("Hello world", addBos: true)));
    }

    [Theory]
    [MemberData(nameof(SentencePieceTokenizers))]
    public void Special_tokens_in_mid_text_encode_and_decode_like_the_huggingface_tokenizers_library(string name)
    {
        var directory = Directory.CreateTempSubdirectory("hf-midtext-").FullName;
        try
        {
            var (bos, eos) = name == "gemma3" ? ("<bos>", "<eos>") : ("<s>", "</s>");
            string[] texts =
            [
                $"x{bos}y", $"x{eos}y", $"x {bos} y", $"{bos}y", $"{bos}{bos}x", $"a{eos}{eos}b", "x<unk>y", $"Hello{bos}world{eos}",
                $" x{bos} y ", $"{eos} lead", $"one{bos}\ntwo", $"{bos} {bos}",
            ];
            var models = name == "llama2-metaspace" ? MetaspaceVariant(directory, "first", split: true) : NodeTokenizersReference.LenmlModels(name.Split('-')[0]);
            var (expectedIds, expectedText) = NodeTokenizersReference.EncodeAndDecode(Path.Combine(models, HfTokenizer.TokenizerFile), texts);
            var tokenizer = HfTokenizer.Load(models);

            for (var i = 0; i < texts.Length; i++)
            {
                Assert.Equal(expectedIds[i], tokenizer.Encode(texts[i], addBos: false));
                Assert.True(expectedText[i] == tokenizer.Decode(expectedIds[i]),
                    $"{name}: {Show(texts[i])} ids [{string.Join(", ", expectedIds[i])}] decode to {Show(expectedText[i])}, we gave {Show(tokenizer.Decode(expectedIds[i]))}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Qwen3's tokenizer.json with only the vocabulary and merges that <paramref name="texts"/> can reach (every
    /// single-character piece, and the pieces written in the texts' byte-level characters), no added tokens and
    /// no normalizer: a small file on which BPE gives the ids the whole vocabulary gives.
    /// </summary>
    private static JsonObject TrimmedByteLevelTokenizer(IEnumerable<string> texts)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(NodeTokenizersReference.LenmlModels("qwen3"), HfTokenizer.TokenizerFile)))!.AsObject();
        var alphabet = texts.SelectMany(t => ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(t))).ToHashSet();
        var model = json["model"]!.AsObject();
        var vocab = new JsonObject();
        foreach (var (piece, id) in model["vocab"]!.AsObject())
        {
            if (piece.Length == 1 || piece.All(alphabet.Contains))
            {
                vocab[piece] = id!.DeepClone();
            }
        }

        var merges = new JsonArray();
        foreach (var merge in model["merges"]!.AsArray())
        {
            var (left, right) = merge is JsonArray pair ? ((string)pair[0]!, (string)pair[1]!) : ((string)merge!).Split(' ') is [var l, var r] ? (l, r) : throw new FormatException($"merge {merge}");
            if (vocab.ContainsKey(left) && vocab.ContainsKey(right) && vocab.ContainsKey(left + right))
            {
                merges.Add(merge!.DeepClone());
            }
        }

        model["vocab"] = vocab;
        model["merges"] = merges;
        json["added_tokens"] = new JsonArray();
        json["normalizer"] = null;
        json["post_processor"] = null;
        return json;
    }

    private static JsonNode WithSplit(JsonObject tokenizer, JsonObject pattern, string behavior, bool invert)
    {
        var json = tokenizer.DeepClone();
        json["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject { ["type"] = "Split", ["pattern"] = pattern.DeepClone(), ["behavior"] = behavior, ["invert"] = invert },
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
        };
        return json;
    }

    /// <summary>Llama 2's tokenizer.json with the '▁' handling in a Metaspace pre-tokenizer and decoder (Mistral's style), in <paramref name="directory"/>.</summary>
    private static string MetaspaceVariant(string directory, string prependScheme, bool split)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(NodeTokenizersReference.LenmlModels("llama2"), HfTokenizer.TokenizerFile)))!;
        var metaspace = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = prependScheme, ["split"] = split };
        json["normalizer"] = null;
        json["pre_tokenizer"] = metaspace;
        json["decoder"] = metaspace.DeepClone();
        File.WriteAllText(Path.Combine(directory, HfTokenizer.TokenizerFile), json.ToJsonString());
        return directory;
    }

    private static string Show(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string[] SpecialTexts(string name) => name switch
    {
        "qwen3" => ["<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n", "text<|endoftext|>more<tool_call>{\"a\": 1}</tool_call>", "<|im_start|><|im_start|>x"],
        "llama3" => ["<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", "a<|end_of_text|>b<|reserved_special_token_5|>"],
        "gemma3" => ["<bos>Hello<eos> world <start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n", "x<bos>y<unk>z<pad>", "<unused0>text\n\n\nmore  spaces"],
        _ => ["<s>Hello</s> world <s> again", "before<unk>after", "</s></s>"],
    };
}
