using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Engine.HuggingFace;
using AdaptLab.Tests.Support;

namespace AdaptLab.Engine.Tests.HuggingFace;

/// <summary>
/// Writes tiny random-weight Hugging Face checkpoints with hf_reference.py (Debian's python3-torch) and returns
/// that script's plain-torch logits for the given tokens (with a PEFT adapter applied, when one is given).
/// </summary>
internal static class HfCheckpointFixture
{
    public static readonly int[] Tokens = [1, 5, 9, 3, 30, 2, 7, 7, 12, 0, 39];

    private static string Script => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "HuggingFace", "hf_reference.py"));

    /// <summary>A small config of <paramref name="modelType"/> with GQA; <paramref name="extra"/> fields override it.</summary>
    public static JsonObject Config(string modelType, object? extra = null)
    {
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray(modelType switch { "qwen2" => "Qwen2ForCausalLM", "mistral" => "MistralForCausalLM", _ => "LlamaForCausalLM" }),
            ["model_type"] = modelType,
            ["hidden_size"] = 16,
            ["intermediate_size"] = 40,
            ["num_hidden_layers"] = 2,
            ["num_attention_heads"] = 4,
            ["num_key_value_heads"] = 2,
            ["vocab_size"] = 40,
            ["max_position_embeddings"] = 24,
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = 10000.0,
            ["hidden_act"] = "silu",
            ["tie_word_embeddings"] = false,
        };
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                config[key] = value?.DeepClone();
            }
        }

        return config;
    }

    /// <summary>Writes the checkpoint into <paramref name="directory"/>; returns the reference logits [token][vocab].</summary>
    /// <param name="adapter">A PEFT LoRA folder the reference applies (as PEFT merges it) before its forward.</param>
    public static float[][] Write(string directory, JsonObject config, string dtype, bool sharded, int seed = 7, int[]? tokens = null, string? adapter = null)
    {
        if (!File.Exists("/usr/lib/python3/dist-packages/torch/__init__.py"))
        {
            throw new InvalidOperationException("The reference forward needs Debian's PyTorch: apt-get install -y python3-torch.");
        }

        var output = PythonReference.Run(Script, new { config, dir = directory, dtype, sharded, seed, tokens = tokens ?? Tokens, adapter });
        return [.. output.EnumerateArray().Select(row => row.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray())];
    }

    /// <summary>A GPT-2-style tokenizer.json: the 256 byte characters, one merge ("Ġt", id 257), and the special token &lt;|end|&gt; at <paramref name="endId"/>.</summary>
    public static void WriteByteLevelTokenizer(string directory, int endId)
    {
        var vocab = new JsonObject();
        var byteChars = Enumerable.Range(0, 256).Select(b => AdaptLab.Engine.HuggingFace.Tokenization.ByteLevelAlphabet.Encode([(byte)b])).ToList();
        for (var b = 0; b < 256; b++)
        {
            vocab[byteChars[b]] = b;
        }

        vocab["Ġt"] = 257;
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = true };
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(new JsonObject
            {
                ["id"] = endId,
                ["content"] = "<|end|>",
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = true,
            }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = byteLevel.DeepClone(),
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = new JsonArray("Ġ t") },
        };
        File.WriteAllText(Path.Combine(directory, HfTokenizer.TokenizerFile), tokenizer.ToJsonString());
    }
}
