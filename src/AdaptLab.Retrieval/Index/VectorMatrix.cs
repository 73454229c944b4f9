using System.Numerics.Tensors;

namespace AdaptLab.Retrieval.Index;

/// <summary>
/// Unit-length vectors in one contiguous block, so exact search is one sequential scan (bound by memory
/// bandwidth), split across the cores for large corpora.
/// </summary>
public sealed class VectorMatrix(IReadOnlyList<string> ids, float[] data, int dimensions)
{
    private const int RowsPerTask = 16_384;

    public int Count => ids.Count;

    public int Dimensions => dimensions;

    public string Id(int row) => ids[row];

    /// <summary>The row of a chunk id, or -1.</summary>
    public int RowOf(string id) => (rows ??= ids.Select((id, row) => (id, row)).ToDictionary(p => p.id, p => p.row, StringComparer.Ordinal)).GetValueOrDefault(id, -1);

    private Dictionary<string, int>? rows;

    public ReadOnlySpan<float> Row(int row) => data.AsSpan(row * dimensions, dimensions);

    /// <summary>The <paramref name="k"/> rows with the highest cosine similarity to <paramref name="query"/>; ties go to the earlier row.</summary>
    public IReadOnlyList<(int Row, float Score)> Nearest(ReadOnlySpan<float> query, int k)
    {
        if (Count == 0 || k <= 0)
        {
            return [];
        }

        var q = Normalized(query);
        var parts = (Count + RowsPerTask - 1) / RowsPerTask;
        var best = new List<(int Row, float Score)>[parts];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, part =>
            best[part] = Top(q, part * RowsPerTask, Math.Min(Count, (part + 1) * RowsPerTask), k));
        return [.. best.SelectMany(b => b).OrderByDescending(h => h.Score).ThenBy(h => h.Row).Take(k)];
    }

    public static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        var result = vector.ToArray();
        if (norm > 0)
        {
            TensorPrimitives.Divide(result, norm, result);
        }

        return result;
    }

    private List<(int Row, float Score)> Top(float[] query, int from, int to, int k)
    {
        // A min-heap of the best k so far: its root is the one to beat.
        var heap = new PriorityQueue<int, (float Score, int NegRow)>(k + 1);
        for (var row = from; row < to; row++)
        {
            var score = TensorPrimitives.Dot(query, data.AsSpan(row * dimensions, dimensions));
            if (heap.Count < k)
            {
                heap.Enqueue(row, (score, -row));
            }
            else if (heap.TryPeek(out _, out var worst) && (score > worst.Score))
            {
                heap.EnqueueDequeue(row, (score, -row));
            }
        }

        var found = new List<(int, float)>(heap.Count);
        while (heap.TryDequeue(out var row, out var priority))
        {
            found.Add((row, priority.Score));
        }

        return found;
    }
}
