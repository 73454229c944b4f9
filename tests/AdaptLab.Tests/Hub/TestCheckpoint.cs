using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace AdaptLab.Tests.Hub;

/// <summary>
/// A small Hugging Face checkpoint folder written by the test: a Llama config, tokenizer files and
/// random float32 weights in the real safetensors format, whole or split in shards with an index.
/// </summary>
public static class TestCheckpoint
{
    public static void Write(string folder, int shards = 1, int seed = 1)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), """
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
             "num_attention_heads": 4, "num_key_value_heads": 4, "num_hidden_layers": 2, "vocab_size": 256,
             "max_position_embeddings": 128, "rms_norm_eps": 1e-5, "torch_dtype": "float32"}
            """);
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), """{"bos_token_id": 1, "eos_token_id": 2}""");
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), """{"version": "1.0", "model": {"type": "BPE", "vocab": {}, "merges": []}}""");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"bos_token": "<s>", "eos_token": "</s>"}""");
        // Files a model repository has that a local model does not need: they must not be fetched.
        File.WriteAllText(Path.Combine(folder, "README.md"), "# test model\n");
        File.WriteAllBytes(Path.Combine(folder, "pytorch_model.bin"), new byte[1024]);

        var random = new Random(seed);
        var tensors = new[] { ("model.embed_tokens.weight", 256, 64), ("model.layers.0.mlp.up_proj.weight", 128, 64), ("model.layers.1.mlp.up_proj.weight", 128, 64), ("lm_head.weight", 256, 64) }
            .Select(t => (Name: t.Item1, Shape: new[] { t.Item2, t.Item3 }, Values: Enumerable.Range(0, t.Item2 * t.Item3).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()))
            .ToList();
        if (shards == 1)
        {
            WriteSafetensors(Path.Combine(folder, "model.safetensors"), tensors);
            return;
        }

        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var perShard = (tensors.Count + shards - 1) / shards;
        for (var s = 0; s < shards; s++)
        {
            var name = $"model-{s + 1:00000}-of-{shards:00000}.safetensors";
            var part = tensors.Skip(s * perShard).Take(perShard).ToList();
            WriteSafetensors(Path.Combine(folder, name), part);
            part.ForEach(t => weightMap[t.Name] = name);
        }

        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"),
            JsonSerializer.Serialize(new { metadata = new { total_size = tensors.Sum(t => t.Values.Length * 4) }, weight_map = weightMap }));
    }

    private static void WriteSafetensors(string path, IReadOnlyList<(string Name, int[] Shape, float[] Values)> tensors)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        foreach (var t in tensors)
        {
            header[t.Name] = new { dtype = "F32", shape = t.Shape, data_offsets = new[] { offset, offset + (t.Values.Length * 4) } };
            offset += t.Values.Length * 4;
        }

        var json = JsonSerializer.Serialize(header);
        json += new string(' ', (8 - (Encoding.UTF8.GetByteCount(json) % 8)) % 8);
        using var file = File.Create(path);
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)Encoding.UTF8.GetByteCount(json));
        file.Write(length);
        file.Write(Encoding.UTF8.GetBytes(json));
        foreach (var value in tensors.SelectMany(t => t.Values))
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            file.Write(bytes);
        }
    }
}
