using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Abstractions;
using AdaptLab.Engine.Llama;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.HuggingFace;

/// <summary>
/// A LoRA adapter in PEFT's layout: adapter_config.json and adapter_model.safetensors with keys
/// <c>base_model.model.{module}.lora_A.weight</c> [r, in] and <c>….lora_B.weight</c> [out, r] under Hugging Face's module
/// names (B's q/k rows in Hugging Face's rotate-half order, as transformers' weights are), and the modules_to_save
/// whole under <c>base_model.model.{module}.weight</c>. What PEFT writes loads here, and what this writes loads in PEFT.
/// </summary>
internal static class PeftAdapter
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    private const string Prefix = "base_model.model.";
    private static readonly Dictionary<string, string> SavedModules = new()
    {
        ["embed_tokens"] = "model.embed_tokens",
        ["lm_head"] = "lm_head",
    };

    public static bool IsIn(string folder) => File.Exists(Path.Combine(folder, ConfigFile));

    /// <summary>The base model the adapter in <paramref name="folder"/> was trained on: base_model_name_or_path, relative to the folder when not absolute.</summary>
    /// <exception cref="FormatException">The config is not a LoRA adapter this engine applies.</exception>
    public static string BaseOf(string folder)
    {
        var config = ReadConfig(folder);
        var name = (string?)config["base_model_name_or_path"]
            ?? throw new FormatException($"{Path.Combine(folder, ConfigFile)}: no base_model_name_or_path, so the base model is unknown");
        return Path.IsPathRooted(name) ? name : Path.GetFullPath(Path.Combine(folder, name));
    }

    /// <summary>Each projection of the model: its Hugging Face module name, its layer, and whether RoPE rotates its rows.</summary>
    public static IEnumerable<(string Module, string Short, Linear Layer, bool Rotated)> Projections(LlamaModel model)
    {
        foreach (var (name, module) in model.named_modules())
        {
            if (module is Linear linear && name.StartsWith("layers.", StringComparison.Ordinal))
            {
                var hf = HfTensorNames.FromMeta(name + ".weight")[..^".weight".Length];
                yield return (hf, hf[(hf.LastIndexOf('.') + 1)..], linear, HfTensorNames.IsRotated(name + ".weight"));
            }
        }
    }

    /// <summary>The parameter that module_to_save <paramref name="module"/> (embed_tokens or lm_head) names; one table when they are tied.</summary>
    public static Parameter SavedParameter(LlamaModel model, string module)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return module == "lm_head" && parameters.TryGetValue("output.weight", out var output) ? output : parameters["tok_embeddings.weight"];
    }

    public static void Save(
        string folder, LlamaModel model, IReadOnlyList<(string Module, bool Rotated, LowRankAdapter Adapter)> adapters, LoraOptions options, string baseModel)
    {
        var tensors = new List<(string, Tensor)>();
        using var scope = NewDisposeScope();
        foreach (var (module, rotated, adapter) in adapters)
        {
            tensors.Add(($"{Prefix}{module}.lora_A.weight", adapter.A.detach()));
            tensors.Add(($"{Prefix}{module}.lora_B.weight", rotated ? HfCheckpoint.AsRotateHalf(adapter.B.detach(), model.Config.HeadDim).reshape(adapter.B.shape) : adapter.B.detach()));
        }

        // With a tied classifier both names are the one table trained, and PEFT (which unties them) needs both.
        var modulesToSave = model.Config.SharedClassifier && options.ModulesToSave.Count > 0 ? LoraOptions.SavableModules : options.ModulesToSave;
        foreach (var module in modulesToSave)
        {
            tensors.Add(($"{Prefix}{SavedModules[module]}.weight", SavedParameter(model, module).detach()));
        }

        Directory.CreateDirectory(folder);
        SafeTensorsWriter.Write(Path.Combine(folder, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["r"] = options.Rank,
            ["lora_alpha"] = options.Alpha,
            ["lora_dropout"] = options.Dropout,
            ["target_modules"] = new JsonArray([.. options.TargetModules.Select(m => (JsonNode)m)]),
            ["modules_to_save"] = modulesToSave.Count == 0 ? null : new JsonArray([.. modulesToSave.Select(m => (JsonNode)m)]),
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["use_rslora"] = false,
            ["use_dora"] = false,
            ["inference_mode"] = true,
            ["base_model_name_or_path"] = Path.GetFullPath(baseModel),
        };
        File.WriteAllText(Path.Combine(folder, ConfigFile), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Adds the adapter in <paramref name="folder"/> into the model's weights: W += (lora_alpha / r)·B·A, and the saved modules replace theirs.</summary>
    /// <exception cref="FormatException">The adapter is not LoRA, uses what this engine does not apply, or does not fit the model.</exception>
    public static void MergeInto(LlamaModel model, string folder)
    {
        var config = ReadConfig(folder);
        var weightsPath = Path.Combine(folder, WeightsFile);
        var rank = (int?)config["r"] ?? throw new FormatException($"{Path.Combine(folder, ConfigFile)}: no r");
        var alpha = (double?)config["lora_alpha"] ?? rank;
        var scale = (bool?)config["use_rslora"] == true ? alpha / Math.Sqrt(rank) : alpha / rank;
        using var file = SafeTensorsFile.Open(weightsPath);
        var unused = file.Entries.Keys.ToHashSet(StringComparer.Ordinal);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (module, _, layer, rotated) in Projections(model))
        {
            var (aName, bName) = ($"{Prefix}{module}.lora_A.weight", $"{Prefix}{module}.lora_B.weight");
            var (hasA, hasB) = (unused.Remove(aName), unused.Remove(bName));
            if (hasA != hasB)
            {
                throw new FormatException($"{weightsPath}: {(hasA ? aName : bName)} has no {(hasA ? "lora_B" : "lora_A")} beside it");
            }

            if (hasA)
            {
                var weight = layer.weight!;
                var a = empty(rank, weight.shape[1]);
                var b = empty(weight.shape[0], rank);
                Read(file, aName, a, a.shape);
                Read(file, bName, rotated ? HfCheckpoint.AsRotateHalf(b, model.Config.HeadDim) : b, b.shape);
                weight.add_(b.matmul(a).mul_(scale), EngineScalars.One);
            }
        }

        foreach (var (module, hf) in SavedModules)
        {
            if (unused.Remove($"{Prefix}{hf}.weight"))
            {
                var parameter = SavedParameter(model, module);
                Read(file, $"{Prefix}{hf}.weight", parameter, parameter.shape);
            }
        }

        if (unused.Count > 0)
        {
            throw new FormatException($"{weightsPath}: tensor {unused.Order(StringComparer.Ordinal).First()} is not a LoRA weight of this model's projections, embed_tokens or lm_head ({unused.Count} such)");
        }
    }

    /// <param name="shape">The tensor's shape as stored (the destination may be a reordering view of it).</param>
    private static void Read(SafeTensorsFile file, string name, Tensor destination, long[] shape)
    {
        var entry = file.Entries[name];
        if (!entry.Shape.SequenceEqual(shape))
        {
            throw new FormatException($"{file.Path}: tensor {name} has shape {entry.ShapeText}; the model needs [{string.Join(", ", shape)}]");
        }

        file.ReadInto(name, destination);
    }

    private static JsonNode ReadConfig(string folder)
    {
        var path = Path.Combine(folder, ConfigFile);
        JsonNode config;
        try
        {
            config = JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not valid JSON ({e.Message})", e);
        }

        var type = (string?)config["peft_type"];
        if (type != "LORA")
        {
            throw new FormatException($"{path}: peft_type is {type ?? "missing"}; the engine applies LORA adapters");
        }

        if ((bool?)config["use_dora"] == true || ((string?)config["bias"] ?? "none") != "none" || (bool?)config["fan_in_fan_out"] == true)
        {
            throw new FormatException($"{path}: DoRA, trained biases and fan_in_fan_out are not applied by the engine; use a plain LoRA adapter (bias \"none\")");
        }

        return config;
    }
}
