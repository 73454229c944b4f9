using AdaptLab.Engine.HuggingFace;

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

    public static TheoryData<string> Tokenizers => ["qwen3", "llama3", "llama2"];

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
            var path = Path.Combine(directory, HfTokenizer.TokenizerFile);
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(NodeTokenizersReference.LenmlModels("llama2"), HfTokenizer.TokenizerFile)))!;
            var metaspace = new System.Text.Json.Nodes.JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = prependScheme, ["split"] = split };
            json["normalizer"] = null;
            json["pre_tokenizer"] = metaspace;
            json["decoder"] = metaspace.DeepClone();
            File.WriteAllText(path, json.ToJsonString());
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

    private static string[] SpecialTexts(string name) => name switch
    {
        "qwen3" => ["<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n", "text<|endoftext|>more<tool_call>{\"a\": 1}</tool_call>", "<|im_start|><|im_start|>x"],
        "llama3" => ["<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", "a<|end_of_text|>b<|reserved_special_token_5|>"],
        _ => ["<s>Hello</s> world <s> again", "before<unk>after", "</s></s>"],
    };
}
