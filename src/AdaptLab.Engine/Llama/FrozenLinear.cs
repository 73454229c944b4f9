using AdaptLab.Engine.Native;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// x · weightᵀ (+ bias) for a weight that does not train (a LoRA base) while training: its products, forward and for
/// x's gradient, run on <see cref="TeamSgemm"/>. Otherwise (a weight that trains, no autograd, not float32, no
/// OpenBLAS) libtorch's linear.
/// </summary>
internal sealed class FrozenLinear : SingleTensorFunction<FrozenLinear>
{
    // Set by the backward pass, disposed by the next one on the thread. The trainer calls backward inside a dispose
    // scope, which would otherwise keep every layer's input gradient until the whole pass ends, far past libtorch's
    // last use; libtorch takes its own reference to a returned gradient only after backward returns, so the wrapper
    // cannot go sooner. Without a scope, the thread's last gradient waits for its next backward pass or the finalizer.
    [ThreadStatic]
    private static Tensor? lastGradient;

    public override string Name => nameof(FrozenLinear);

    /// <summary>Whether <see cref="Apply"/> builds this function's autograd node (and so its gradient's product) for x.</summary>
    public static bool Applies(Tensor x, Tensor weight, Tensor? bias) =>
        is_grad_enabled() && x.requires_grad && TakesTeamProduct(x, weight, bias);

    /// <summary>x [..., in] · weightᵀ [out, in] (+ bias [out]), as [..., out].</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias)
    {
        if (!is_grad_enabled() || !TakesTeamProduct(x, weight, bias))
        {
            return nn.functional.linear(x, weight, bias);
        }

        // An input without a gradient (the first layer's, from a frozen embedding) needs no autograd node.
        return x.requires_grad ? apply(x, weight, bias!) : Product(x, weight, bias);
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var (x, weight, bias) = ((Tensor)vars[0], (Tensor)vars[1], vars[2] as Tensor);
        ctx.save_for_backward([weight]);
        return Product(x, weight, bias);
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        lastGradient?.Dispose();
        using var scope = NewDisposeScope();
        var weight = ctx.get_saved_variables()[0].contiguous();
        var rows = grad_output.reshape(-1, grad_output.shape[^1]).contiguous();
        // A new tensor in x's shape, not a view: a gradient libtorch may accumulate into in place.
        var gradient = (TeamSgemm.Product(rows, weight, [.. grad_output.shape[..^1], weight.shape[1]]) ?? grad_output.matmul(weight))
            .MoveToOuterDisposeScope();
        grad_output.Dispose();
        lastGradient = gradient;
        return [gradient, null!, null!];
    }

    private static bool TakesTeamProduct(Tensor x, Tensor weight, Tensor? bias) =>
        !weight.requires_grad && bias?.requires_grad != true && x.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32 &&
        x.device_type == DeviceType.CPU && x.numel() > 0 && TeamSgemm.IsAvailable;

    /// <summary>The product as a new tensor in its final shape (not a view, so it may be changed in place).</summary>
    private static Tensor Product(Tensor x, Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        long[] shape = [.. x.shape[..^1], weight.shape[0]];
        var rows = x.reshape(-1, x.shape[^1]).contiguous();
        var product = TeamSgemm.Linear(rows, weight.contiguous(), shape) ?? nn.functional.linear(x, weight).contiguous();
        if (bias is not null)
        {
            product.add_(bias, EngineScalars.One);
        }

        return product.MoveToOuterDisposeScope();
    }
}
