using AdaptLab.Engine.Llama;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Training;

/// <summary>
/// AdamW (decoupled weight decay) as PyTorch's single-tensor implementation computes it, operation for operation.
/// Ours rather than TorchSharp's because TorchSharp's passes its betas, eps and step sizes to libtorch as implicit
/// Scalars that nothing keeps alive: a collection during the step could finalize one while libtorch read it (full
/// test runs failed so about once each, in add_'s Scalar check). Here every Scalar is held until the step is done.
/// A parameter's state starts at its first gradient and counts its own steps, as PyTorch's does.
/// </summary>
internal sealed class AdamWOptimizer : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;
    private const string Format = "adaptlab-adamw-1";

    private readonly IReadOnlyList<(string Name, Parameter Parameter)> parameters;
    private readonly double weightDecay;
    private readonly Dictionary<string, Moments> state = new(StringComparer.Ordinal);
    private readonly Scalar beta1 = Beta1.ToScalar();
    private readonly Scalar beta2 = Beta2.ToScalar();
    private readonly Scalar oneMinusBeta1 = (1 - Beta1).ToScalar();
    private readonly Scalar oneMinusBeta2 = (1 - Beta2).ToScalar();
    private readonly Scalar epsilon = Epsilon.ToScalar();

    public AdamWOptimizer(IReadOnlyList<(string Name, Parameter Parameter)> parameters, double learningRate, double weightDecay)
    {
        this.parameters = parameters;
        this.weightDecay = weightDecay;
        LearningRate = learningRate;
    }

    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        // The scope holds each gradient's wrapper until its zero_ returns (see Step).
        using var scope = NewDisposeScope();
        foreach (var (_, parameter) in parameters)
        {
            parameter.grad?.zero_();
        }
    }

    public void Step()
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            // Opened before the gradient is read, so it holds the gradient's wrapper: a wrapper nothing refers to may be
            // finalized, freeing its native handle, while libtorch still reads it (a full test run crashed in libtorch on a
            // thread-pool thread, likely so).
            using var scope = NewDisposeScope();
            if (parameter.grad is not { } grad)
            {
                continue;
            }

            if (!state.TryGetValue(name, out var moments))
            {
                moments = state[name] = new Moments(zeros_like(parameter).DetachFromDisposeScope(), zeros_like(parameter).DetachFromDisposeScope());
            }

            moments.Step++;
            if (weightDecay != 0)
            {
                using var decay = (1 - (LearningRate * weightDecay)).ToScalar();
                parameter.mul_(decay);
            }

            using var biasCorrection2Root = Math.Sqrt(1 - Math.Pow(Beta2, moments.Step)).ToScalar();
            using var stepSize = (-LearningRate / (1 - Math.Pow(Beta1, moments.Step))).ToScalar();

            moments.Mean.mul_(beta1).add_(grad, oneMinusBeta1);
            moments.Square.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            var denominator = moments.Square.sqrt().div_(biasCorrection2Root).add_(epsilon, EngineScalars.One);
            parameter.addcdiv_(moments.Mean, denominator, stepSize);
        }
    }

    /// <summary>Each parameter's step count and moments, by name, after a header that tells this format from others.</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Format);
        foreach (var (name, moments) in state)
        {
            writer.Write(name);
            writer.Write(moments.Step);
            TensorValues.Write(writer, moments.Mean);
            TensorValues.Write(writer, moments.Square);
        }
    }

    /// <exception cref="ArgumentException">The file is of another format, or holds a parameter this optimizer does not train or one of another size.</exception>
    public void Load(string path)
    {
        var trained = parameters.ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.BaseStream.Length < Format.Length + 1 || reader.ReadString() != Format)
        {
            throw new ArgumentException($"{path} is not an optimizer state this version of AdaptLab writes: train afresh into another folder");
        }

        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var name = reader.ReadString();
            if (!trained.TryGetValue(name, out var parameter))
            {
                throw new ArgumentException($"{path}: the optimizer state names '{name}', which this run does not train");
            }

            var step = reader.ReadInt64();
            var mean = TensorValues.Read(reader, parameter, $"{path}: the first moment of '{name}'");
            var square = TensorValues.Read(reader, parameter, $"{path}: the second moment of '{name}'");
            if (state.Remove(name, out var old))
            {
                old.Dispose();
            }

            state[name] = new Moments(mean, square) { Step = step };
        }
    }

    public void Dispose()
    {
        foreach (var moments in state.Values)
        {
            moments.Dispose();
        }

        state.Clear();
        foreach (var scalar in new[] { beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon })
        {
            scalar.Dispose();
        }
    }

    private sealed class Moments(Tensor mean, Tensor square) : IDisposable
    {
        public Tensor Mean { get; } = mean;

        public Tensor Square { get; } = square;

        public long Step { get; set; }

        public void Dispose()
        {
            Mean.Dispose();
            Square.Dispose();
        }
    }
}
