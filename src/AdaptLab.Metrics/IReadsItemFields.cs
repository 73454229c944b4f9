namespace AdaptLab.Metrics;

/// <summary>
/// A metric that reads dataset fields besides the prediction and references (the tests of a code task),
/// so a task whose data lacks them is refused before any model is called.
/// </summary>
public interface IReadsItemFields
{
    /// <summary>The item fields the metric reads, by name.</summary>
    IReadOnlyList<string> RequiredFields { get; }

    /// <summary>Why the item's fields cannot be used, naming the field; null when they can.</summary>
    (string Field, string Problem)? Check(IReadOnlyDictionary<string, string> fields);
}
