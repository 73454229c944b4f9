using AdaptLab.Metrics;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Items;

/// <summary>
/// Checks every item against the fields its metrics read (the tests of a code task), so a task whose
/// data does not fit is refused at <c>validate</c> and before <c>eval</c> calls any model.
/// </summary>
internal static class ItemFieldChecks
{
    /// <exception cref="InputException">An item lacks a field a metric reads, or holds one it cannot use; names the record and the field.</exception>
    public static void Check(TaskDefinition task, Dataset dataset)
    {
        var check = For(task);
        foreach (var item in dataset.Items)
        {
            check(item);
        }
    }

    /// <summary>The check of one item, for items read one at a time.</summary>
    internal static Action<DataItem> For(TaskDefinition task)
    {
        var readers = task.Metrics
            .Select(m => (m.Name, Metric: MetricCatalog.Create(m.Name, m.Options) as IReadsItemFields))
            .Where(m => m.Metric is not null)
            .ToList();
        return item =>
        {
            foreach (var (name, metric) in readers)
            {
                if (metric!.Check(item.Fields) is { } problem)
                {
                    throw new InputException(item.Location, null, $"data.fields.extra.{problem.Field}", $"metric '{name}': {problem.Problem}");
                }
            }
        };
    }
}
