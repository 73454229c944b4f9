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
        var items = loaded?.FirstOrDefault(d => d.Path == path)?.Items ?? DatasetLoader.Read(path, task.Data);
        return [.. new SortedSet<string>(items.Select(i => i.Expected.FirstOrDefault() ?? string.Empty).Where(l => l.Length > 0), StringComparer.Ordinal)];
    }
}
