using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Items;

/// <summary>The labels a classification prompt offers: as listed in the task file, else those of the training split (or test split).</summary>
internal static class LabelSet
{
    /// <param name="loaded">Splits the caller has read already; the label source is read again only when it is not among them.</param>
    public static IReadOnlyList<string>? Resolve(TaskDefinition task, IEnumerable<Dataset>? loaded = null)
    {
        if (task.Labels is not null || task.Kind != TaskKind.Classification)
        {
            return task.Labels;
        }

        // Read record by record where not read already: a split of a million items needs only its labels here.
        var path = task.Data.Train ?? task.Data.Test;
        var seen = new Seen();
        foreach (var item in loaded?.FirstOrDefault(d => d.Path == path)?.Items ?? DatasetLoader.Read(path, task.Data))
        {
            seen.Add(item);
        }

        return seen.Labels;
    }

    /// <summary>Whether the labels are those of the test split: a new run then gathers them as it reads the split (<see cref="Seen"/>).</summary>
    public static bool FromTestSplit(TaskDefinition task) => task.Labels is null && task.Kind == TaskKind.Classification && task.Data.Train is null;

    /// <summary>The labels of the items seen so far: each item's first expected answer, sorted, without blanks.</summary>
    internal sealed class Seen
    {
        private readonly SortedSet<string> labels = new(StringComparer.Ordinal);

        public IReadOnlyList<string> Labels => [.. labels];

        public void Add(DataItem item)
        {
            if (item.Expected.FirstOrDefault() is { Length: > 0 } label)
            {
                labels.Add(label);
            }
        }
    }
}
