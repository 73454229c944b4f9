using System.Text.Json;
using static TorchSharp.torch;

namespace AdaptLab.Engine.HuggingFace;

/// <summary>
/// The weights of a Hugging Face model directory: model.safetensors, or the shards that
/// model.safetensors.index.json's weight_map names. Each tensor is looked up by name in its own file.
/// </summary>
internal sealed class SafeTensorsCheckpoint : IDisposable
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    private readonly List<SafeTensorsFile> files;
    private readonly Dictionary<string, SafeTensorsFile> owners;

    private SafeTensorsCheckpoint(List<SafeTensorsFile> files, Dictionary<string, SafeTensorsFile> owners)
    {
        this.files = files;
        this.owners = owners;
    }

    public IEnumerable<string> Names => owners.Keys;

    public static bool IsIn(string directory) =>
        File.Exists(Path.Combine(directory, SingleFile)) || File.Exists(Path.Combine(directory, IndexFile));

    public static SafeTensorsCheckpoint Open(string directory)
    {
        var single = Path.Combine(directory, SingleFile);
        var index = Path.Combine(directory, IndexFile);
        if (File.Exists(index))
        {
            return OpenSharded(directory, index);
        }

        if (!File.Exists(single))
        {
            throw new FileNotFoundException($"{directory} holds neither {SingleFile} nor {IndexFile}.", single);
        }

        var file = SafeTensorsFile.Open(single);
        return new SafeTensorsCheckpoint([file], file.Entries.Keys.ToDictionary(name => name, _ => file));
    }

    /// <summary>The checkpoint's file(s), for messages.</summary>
    public string Describe() => files.Count == 1 ? files[0].Path : $"{files.Count} shards ({string.Join(", ", files.Select(f => Path.GetFileName(f.Path)))})";

    public SafeTensorEntry Entry(string name) => owners[name].Entries[name];

    public string FileOf(string name) => owners[name].Path;

    public void ReadInto(string name, Tensor destination) => owners[name].ReadInto(name, destination);

    public void Dispose() => files.ForEach(f => f.Dispose());

    private static SafeTensorsCheckpoint OpenSharded(string directory, string index)
    {
        var weightMap = ReadWeightMap(index);
        var files = new Dictionary<string, SafeTensorsFile>();
        try
        {
            var owners = new Dictionary<string, SafeTensorsFile>();
            foreach (var (name, shard) in weightMap)
            {
                if (!files.TryGetValue(shard, out var file))
                {
                    file = SafeTensorsFile.Open(Path.Combine(directory, shard));
                    files[shard] = file;
                }

                owners[name] = file.Entries.ContainsKey(name)
                    ? file
                    : throw new FormatException($"{index} places tensor {name} in {shard}, which does not contain it.");
            }

            foreach (var file in files.Values)
            {
                foreach (var name in file.Entries.Keys.Where(n => !owners.ContainsKey(n)).Take(1))
                {
                    throw new FormatException($"{file.Path} holds tensor {name}, which {index}'s weight_map does not list.");
                }
            }

            return new SafeTensorsCheckpoint([.. files.Values], owners);
        }
        catch
        {
            foreach (var file in files.Values)
            {
                file.Dispose();
            }

            throw;
        }
    }

    private static Dictionary<string, string> ReadWeightMap(string index)
    {
        using var document = HfJson.Parse(index);
        if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{index} has no weight_map object.");
        }

        var weightMap = new Dictionary<string, string>();
        foreach (var entry in map.EnumerateObject())
        {
            var shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : "";
            if (shard.Length == 0 || Path.GetFileName(shard) != shard)
            {
                throw new FormatException($"{index}: tensor {entry.Name} maps to '{entry.Value}', not a file name in the model directory.");
            }

            weightMap[entry.Name] = shard;
        }

        return weightMap;
    }
}
