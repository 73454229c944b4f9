using System.Text.Json;
using AdaptLab.Abstractions;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Training;

/// <summary>Where a training run is, on disk: the trained weights, AdamW's moments, the step and the losses so far.</summary>
internal sealed class TrainingCheckpoint(string folder, TrainingOptions options, string dataHash)
{
    private const string Weights = "model.bin";
    private const string Optimizer = "optimizer.bin";
    private const string State = "state.json";
    private const string BestWeights = "best.bin";

    /// <param name="best">The weights of the best validation loss so far, or null.</param>
    public void Save(TrainableWeights weights, AdamWOptimizer optimizer, CheckpointState state, IReadOnlyDictionary<string, Tensor>? best)
    {
        var temp = folder + ".tmp";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(temp);
        WriteTensors(Path.Combine(temp, Weights), weights.Named.Select(n => (n.Name, (Tensor)n.Parameter)));
        optimizer.Save(Path.Combine(temp, Optimizer));
        if (best is not null)
        {
            WriteTensors(Path.Combine(temp, BestWeights), best.Select(b => (b.Key, b.Value)));
        }

        File.WriteAllText(Path.Combine(temp, State), JsonSerializer.Serialize(new StoredState(state, options, dataHash)));
        Delete();
        Directory.Move(temp, folder);
    }

    /// <exception cref="ArgumentException">There is no checkpoint, it was made with other options or data, or a file of it is damaged.</exception>
    public CheckpointState Load(TrainableWeights weights, AdamWOptimizer optimizer)
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

        Dictionary<string, Tensor> saved;
        try
        {
            // First, because its header tells a checkpoint an older AdaptLab wrote, before the weights are read in another layout.
            optimizer.Load(Path.Combine(folder, Optimizer));
            saved = ReadTensors(Path.Combine(folder, Weights), weights);
        }
        catch (EndOfStreamException)
        {
            throw new ArgumentException($"the checkpoint in {folder} is cut short or damaged: train afresh into another folder");
        }

        using (no_grad())
        {
            foreach (var (name, parameter) in weights.Named)
            {
                parameter.copy_(saved[name]);
                saved[name].Dispose();
            }
        }

        return stored.State;
    }

    /// <summary>The best weights the checkpoint holds (see <see cref="Save"/>), shaped as the trained parameters.</summary>
    public Dictionary<string, Tensor> LoadBest(TrainableWeights weights) => ReadTensors(Path.Combine(folder, BestWeights), weights);

    /// <summary>Named tensors, one after another: name, then values (<see cref="TensorValues"/>).</summary>
    private static void WriteTensors(string path, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        using var writer = new BinaryWriter(File.Create(path));
        foreach (var (name, tensor) in tensors)
        {
            writer.Write(name);
            TensorValues.Write(writer, tensor);
        }
    }

    private static Dictionary<string, Tensor> ReadTensors(string path, TrainableWeights weights)
    {
        var trained = weights.Named.ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var reader = new BinaryReader(File.OpenRead(path));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var name = reader.ReadString();
            if (!trained.TryGetValue(name, out var parameter))
            {
                throw new ArgumentException($"{path} holds '{name}', which this run does not train: train afresh into another folder");
            }

            tensors[name] = TensorValues.Read(reader, parameter, $"{path}: '{name}'");
        }

        return tensors;
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
    int Step, IReadOnlyList<double> Losses, long Tokens, IReadOnlyList<ValidationPoint> Validation, int? BestStep, double? BestValue);
