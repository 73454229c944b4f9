using AdaptLab.Engine.Native;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// x · weightᵀ (+ bias) for a weight that does not train (a LoRA base), differentiable in x only: both its products,
/// forward and x's gradient, run on <see cref="TeamSgemm"/>. Without it, or outside float32 training, libtorch's linear.
/// </summary>
internal sealed class FrozenLinear : SingleTensorFunction<FrozenLinear>
{
    // Set by the backward pass, disposed by the next: libtorch takes its own reference to a returned gradient only
    // after backward returns, and a wrapper left to the finalizer holds the gradient's memory until a collection.
    [ThreadStatic]
    private static Tensor? lastGradient;

    public override string Name => nameof(FrozenLinear);

    /// <summary>Whether <see cref="Apply"/> would take this path for x and weight.</summary>
    public static bool Applies(Tensor x, Tensor weight, Tensor? bias) =>
        TeamSgemm.IsAvailable && is_grad_enabled() && x.requires_grad && !weight.requires_grad && bias?.requires_grad != true &&
        x.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32 && x.device_type == DeviceType.CPU;

    /// <summary>x [..., in] · weightᵀ [out, in] (+ bias [out]), as [..., out].</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias) =>
        Applies(x, weight, bias) ? apply(x, weight, bias!) : nn.functional.linear(x, weight, bias);

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var (x, weight, bias) = ((Tensor)vars[0], (Tensor)vars[1], vars[2] as Tensor);
        ctx.save_for_backward([weight]);
        using var scope = NewDisposeScope();
        var rows = x.reshape(-1, x.shape[^1]).contiguous();
        var product = TeamSgemm.Linear(rows, weight.contiguous())
            ?? throw new InvalidOperationException("FrozenLinear applied to operands the team product does not take.");
        if (bias is not null)
        {
            product.add_(bias, EngineScalars.One);
        }

        return product.view([.. x.shape[..^1], weight.shape[0]]).MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        lastGradient?.Dispose();
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var weight = saved[0];
        var rows = grad_output.reshape(-1, grad_output.shape[^1]).contiguous();
        var product = TeamSgemm.Product(rows, weight.contiguous())
            ?? throw new InvalidOperationException("FrozenLinear's gradient has operands the team product does not take.");
        var gradient = product.view([.. grad_output.shape[..^1], weight.shape[1]]).MoveToOuterDisposeScope();
        grad_output.Dispose();
        lastGradient = gradient;
        return [gradient, null!, null!];
    }
}
