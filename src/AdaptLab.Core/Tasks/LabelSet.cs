using AdaptLab.Core.Data;

namespace AdaptLab.Core.Tasks;

/// <summary>The labels a classification prompt offers: as listed in the task file, else those of the training split (or test split).</summary>
public static class LabelSet
{
    public static IReadOnlyList<string>? Resolve(TaskDefinition task)
    {
        if (task.Labels is not null || task.Kind != TaskKind.Classification)
        {
            return task.Labels;
        }

        var source = DatasetLoader.Load(task.Data.Train ?? task.Data.Test, task.Data);
        return source.Items.Select(i => i.Expected.FirstOrDefault() ?? string.Empty)
            .Where(l => l.Length > 0)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
