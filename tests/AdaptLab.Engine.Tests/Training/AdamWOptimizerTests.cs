using AdaptLab.Engine.Training;
using AdaptLab.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests.Training;

/// <summary>The trainer's AdamW steps as PyTorch's, and a saved state resumes as if never stopped.</summary>
public sealed class AdamWOptimizerTests
{
    private static readonly double[] Rates = [1e-2, 5e-3, 2e-2, 1e-3, 8e-3];

    private static string Script => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Training", "adamw_reference.py"));

    [Fact]
    public void Every_step_gives_PyTorchs_parameters()
    {
        var (initial, gradients) = Problem();
        var ours = Run(initial, gradients, weightDecay: 0.1);
        var reference = Reference(initial, gradients, beta2: 0.999);
        // The control: TorchSharp's optim.AdamW() defaults beta2 to 0.99, which these steps must tell apart.
        var otherBeta2 = Reference(initial, gradients, beta2: 0.99);

        for (var step = 0; step < Rates.Length; step++)
        {
            for (var p = 0; p < initial.Length; p++)
            {
                for (var i = 0; i < initial[p].Length; i++)
                {
                    Assert.Equal(reference[step][p][i], ours[step][p][i], 1e-6);
                }
            }
        }

        Assert.Contains(Enumerable.Range(0, initial[0].Length), i => Math.Abs(otherBeta2[^1][0][i] - ours[^1][0][i]) > 1e-5);
        Assert.Contains(Enumerable.Range(0, initial[0].Length), i => Math.Abs(initial[0][i] - ours[^1][0][i]) > 1e-2);
    }

    [Fact]
    public void A_saved_state_resumes_as_the_uninterrupted_run_and_a_foreign_file_is_refused()
    {
        var (initial, gradients) = Problem();
        var uninterrupted = Run(initial, gradients, weightDecay: 0.1);
        var file = Path.GetTempFileName();
        try
        {
            var parameters = Parameters(initial);
            using (var first = new AdamWOptimizer(parameters, Rates[0], 0.1))
            {
                Steps(first, parameters, gradients, 0, 3);
                first.Save(file);
            }

            using var second = new AdamWOptimizer(parameters, Rates[0], 0.1);
            second.Load(file);
            var resumed = Steps(second, parameters, gradients, 3, Rates.Length);
            Assert.Equal(uninterrupted[^1], resumed[^1]);

            File.WriteAllBytes(file, [1, 2, 3, 4, 5]);
            var error = Assert.Throws<ArgumentException>(() => second.Load(file));
            Assert.Contains(file, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_parameter_without_a_gradient_is_left_alone()
    {
        var (initial, gradients) = Problem();
        var parameters = Parameters(initial);
        using var optimizer = new AdamWOptimizer(parameters, Rates[0], 0.1);
        using (no_grad())
        {
            parameters[0].Parameter.grad = tensor(gradients[0][0]);
        }

        optimizer.Step();

        Assert.Equal(initial[1], parameters[1].Parameter.data<float>().ToArray().Select(v => (double)v));
        Assert.NotEqual(initial[0], parameters[0].Parameter.data<float>().ToArray().Select(v => (double)v));
    }

    /// <summary>Two parameters and a gradient for each per step, drawn once (seeded) and handed to both implementations.</summary>
    private static (double[][] Initial, double[][][] Gradients) Problem()
    {
        var random = new Random(5);
        double[] Draw(int n, double scale) => [.. Enumerable.Range(0, n).Select(_ => (double)(float)((random.NextDouble() - 0.5) * scale))];
        double[][] initial = [Draw(12, 2), Draw(5, 2)];
        var gradients = Rates.Select(_ => new[] { Draw(12, 0.2), Draw(5, 0.2) }).ToArray();
        return (initial, gradients);
    }

    private static List<(string Name, Parameter Parameter)> Parameters(double[][] initial) =>
        [.. initial.Select((values, i) => ($"p{i}", new Parameter(tensor(values.Select(v => (float)v).ToArray()))))];

    private static List<double[][]> Run(double[][] initial, double[][][] gradients, double weightDecay)
    {
        var parameters = Parameters(initial);
        using var optimizer = new AdamWOptimizer(parameters, Rates[0], weightDecay);
        return Steps(optimizer, parameters, gradients, 0, Rates.Length);
    }

    private static List<double[][]> Steps(AdamWOptimizer optimizer, List<(string Name, Parameter Parameter)> parameters, double[][][] gradients, int from, int to)
    {
        var after = new List<double[][]>();
        for (var step = from; step < to; step++)
        {
            optimizer.LearningRate = Rates[step];
            using (no_grad())
            {
                for (var p = 0; p < parameters.Count; p++)
                {
                    parameters[p].Parameter.grad = tensor(gradients[step][p].Select(v => (float)v).ToArray());
                }
            }

            optimizer.Step();
            after.Add([.. parameters.Select(p => p.Parameter.data<float>().ToArray().Select(v => (double)v).ToArray())]);
        }

        return after;
    }

    private static double[][][] Reference(double[][] initial, double[][][] gradients, double beta2)
    {
        var output = PythonReference.Run(Script, new { parameters = initial, gradients, rates = Rates, weight_decay = 0.1, beta2 });
        return [.. output.EnumerateArray().Select(step => step.EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray())];
    }
}
