using System.Globalization;
using AdaptLab.Core.Store;
using AdaptLab.Retrieval.Ingest;

namespace AdaptLab.Core.Judging;

/// <summary>
/// People's ratings of a run's outputs from a CSV file with the columns <c>id</c> (the test item's id), <c>variant</c>,
/// <c>rating</c> (a number), and optionally <c>rater</c> and <c>note</c>. The file is checked whole before anything is
/// stored: an unknown item or variant, or a rating that is not a number, names its line and column.
/// </summary>
internal static class HumanRatingsImport
{
    public static IReadOnlyList<HumanRating> Read(string path, RunStore store, RunInfo run, string? defaultRater)
    {
        using var csv = new CsvRecordReader(new StreamReader(path), path);
        List<string> header = [.. csv.Header];
        if (header.Count == 0)
        {
            throw new InputException(path, 1, null, "the file is empty; it needs a header: id,variant,rating[,rater,note]");
        }

        int Column(string name, bool required)
        {
            var index = header.FindIndex(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
            if (index < 0 && required)
            {
                throw new InputException(path, 1, name, $"no '{name}' column (the header has: {string.Join(", ", header)}); it needs id, variant and rating");
            }

            return index;
        }

        var (id, variant, rating, rater, note) = (Column("id", true), Column("variant", true), Column("rating", true), Column("rater", false), Column("note", false));
        var items = store.GetItems(run.Id).ToDictionary(i => i.Id, i => i.Index);
        var variants = store.GetVariants(run.Id).Select(v => v.Name).ToHashSet();
        var ratings = new List<HumanRating>();
        while (csv.Read())
        {
            string Field(int column) => column >= 0 ? csv[column].Trim() : string.Empty;
            if (!items.TryGetValue(Field(id), out var index))
            {
                throw new InputException(path, csv.Line, "id", $"'{Field(id)}' is not an item of run {run.Id}");
            }

            if (!variants.Contains(Field(variant)))
            {
                throw new InputException(path, csv.Line, "variant", $"'{Field(variant)}' is not a variant of run {run.Id} ({string.Join(", ", variants)})");
            }

            if (!double.TryParse(Field(rating), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new InputException(path, csv.Line, "rating", $"'{Field(rating)}' is not a number");
            }

            var who = Field(rater) is { Length: > 0 } named ? named : defaultRater ?? "human";
            ratings.Add(new HumanRating(Field(variant), index, who, value, Field(note) is { Length: > 0 } text ? text : null,
                $"{Path.GetFileName(path)}:{csv.Line}"));
        }

        var twice = ratings.GroupBy(r => (r.Variant, r.ItemIndex, r.Rater)).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new InputException(path, null, null, $"{twice.Key.Rater} rated item {twice.First().Source} of {twice.Key.Variant} twice ({string.Join(", ", twice.Select(r => r.Source))})");
        }

        return ratings;
    }
}
