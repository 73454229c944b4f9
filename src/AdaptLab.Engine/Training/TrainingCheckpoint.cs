using System.Text.Json;
using AdaptLab.Abstractions;
using AdaptLab.Engine.Llama;
using AdaptLab.Engine.LlamaC;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Training;

/// <summary>Where a training run is, on disk: the weights, AdamW's moments, the step and the losses so far.</summary>
internal sealed class TrainingCheckpoint(string folder, TrainingOptions options, string dataHash)
{
    private const string Weights = "model.bin";
    private const string Optimizer = "optimizer.bin";
    private const string State = "state.json";
    private const string BestWeights = "best.bin";

    /// <param name="best">The weights of the best validation loss so far, or null.</param>
    public void Save(LlamaModel model, AdamW optimizer, CheckpointState state, IReadOnlyDictionary<string, Tensor>? best)
    {
        var temp = folder + ".tmp";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(temp);
        LlamaCCheckpoint.Save(model, Path.Combine(temp, Weights));
        optimizer.save_state_dict(Path.Combine(temp, Optimizer));
        if (best is not null)
        {
            using var writer = new BinaryWriter(File.Create(Path.Combine(temp, BestWeights)));
            foreach (var (name, tensor) in best.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                var values = tensor.contiguous().to(ScalarType.Float32).data<float>().ToArray();
                writer.Write(name);
                writer.Write(values.Length);
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            }
        }

        File.WriteAllText(Path.Combine(temp, State), JsonSerializer.Serialize(new StoredState(state, options, dataHash)));
        Delete();
        Directory.Move(temp, folder);
    }

    /// <exception cref="ArgumentException">There is no checkpoint, or it was made with other options or data.</exception>
    public CheckpointState Load(LlamaModel model, AdamW optimizer)
    {
        var statePath = Path.Combine(folder, State);
        if (!File.Exists(statePath))
        {
            throw new ArgumentException($"nothing to resume: {folder} holds no checkpoint (one is written every {options.CheckpointEvery} steps)");
        }

        var stored = JsonSerializer.Deserialize<StoredState>(File.ReadAllText(statePath))!;
        if (stored.Options != options || stored.DataHash != dataHash)
        {
            throw new ArgumentException($"the checkpoint in {folder} was made with {(stored.Options != options ? $"other settings ({stored.Options})" : "other training data")}: resume with the same ones, or train afresh into another folder");
        }

        using (var saved = LlamaCCheckpoint.Load(Path.Combine(folder, Weights)))
        using (no_grad())
        {
            var source = saved.state_dict();
            foreach (var (name, parameter) in model.named_parameters())
            {
                parameter.copy_(source[name]);
            }
        }

        optimizer.load_state_dict(Path.Combine(folder, Optimizer));
        return stored.State;
    }

    /// <summary>The best weights the checkpoint holds (see <see cref="Save"/>), shaped as <paramref name="model"/>'s parameters.</summary>
    public Dictionary<string, Tensor> LoadBest(LlamaModel model)
    {
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape, StringComparer.Ordinal);
        var best = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var reader = new BinaryReader(File.OpenRead(Path.Combine(folder, BestWeights)));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var name = reader.ReadString();
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(reader.ReadBytes(reader.ReadInt32() * sizeof(float))).ToArray();
            best[name] = tensor(values, shapes[name]).DetachFromDisposeScope();
        }

        return best;
    }

    public void Delete()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record StoredState(CheckpointState State, TrainingOptions Options, string DataHash);
}

internal sealed record CheckpointState(
    int Step, IReadOnlyList<double> Losses, long Tokens, IReadOnlyList<ValidationPoint> Validation, int? BestStep, double? BestLoss);
