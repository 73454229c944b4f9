using AdaptLab.Abstractions;
using AdaptLab.Engine.HuggingFace;
using AdaptLab.Engine.Llama;
using TorchSharp.Modules;

namespace AdaptLab.Engine.Training;

/// <summary>
/// What a run trains, by name (the names its checkpoints use): every parameter of the model, or LoRA adapters
/// attached to the target projections plus the modules to save, the rest frozen.
/// </summary>
internal sealed class TrainableWeights
{
    private TrainableWeights(IReadOnlyList<(string Name, Parameter Parameter)> named, IReadOnlyList<(string Module, bool Rotated, LowRankAdapter Adapter)> adapters)
    {
        Named = named;
        Adapters = adapters;
    }

    public IReadOnlyList<(string Name, Parameter Parameter)> Named { get; }

    /// <summary>The attached adapters by Hugging Face module name; empty for full fine-tuning.</summary>
    public IReadOnlyList<(string Module, bool Rotated, LowRankAdapter Adapter)> Adapters { get; }

    public IEnumerable<Parameter> Parameters => Named.Select(n => n.Parameter);

    public static TrainableWeights Full(LlamaModel model) => new([.. model.named_parameters()], []);

    /// <summary>Attaches a fresh adapter (drawn from torch's seeded generator) to every target projection and freezes the rest.</summary>
    public static TrainableWeights Lora(LlamaModel model, LoraOptions options)
    {
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
        }

        var adapters = new List<(string, bool, LowRankAdapter)>();
        var named = new List<(string, Parameter)>();
        foreach (var (module, name, layer, rotated) in PeftAdapter.Projections(model).Where(p => options.TargetModules.Contains(p.Short)))
        {
            var weight = layer.weight!;
            var adapter = new LowRankAdapter(weight.shape[1], weight.shape[0], options.Rank, options.Scale, options.Dropout, weight.dtype);
            model.Adapters.Attach(layer, adapter);
            adapters.Add((module, rotated, adapter));
            named.Add((module + ".lora_A", adapter.A));
            named.Add((module + ".lora_B", adapter.B));
        }

        foreach (var module in options.ModulesToSave)
        {
            var parameter = PeftAdapter.SavedParameter(model, module);
            if (!named.Any(n => ReferenceEquals(n.Item2, parameter)))
            {
                parameter.requires_grad = true;
                named.Add((module, parameter));
            }
        }

        return new TrainableWeights(named, adapters);
    }

    /// <summary>Dropout on the adapters' inputs while training, none while validating.</summary>
    public void Train(bool training)
    {
        foreach (var (_, _, adapter) in Adapters)
        {
            adapter.train(training);
        }
    }
}
