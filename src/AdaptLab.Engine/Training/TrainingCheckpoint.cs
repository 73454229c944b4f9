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

    public void Save(LlamaModel model, AdamW optimizer, CheckpointState state)
    {
        var temp = folder + ".tmp";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(temp);
        LlamaCCheckpoint.Save(model, Path.Combine(temp, Weights));
        optimizer.save_state_dict(Path.Combine(temp, Optimizer));
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

    public void Delete()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record StoredState(CheckpointState State, TrainingOptions Options, string DataHash);
}

internal sealed record CheckpointState(int Step, IReadOnlyList<double> Losses, long Tokens);
