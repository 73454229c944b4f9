using TorchSharp;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// The constant Scalars the engine's hot paths pass to libtorch, held for the process's life. TorchSharp turns a
/// number into a Scalar implicitly and passes its handle on without keeping it alive, so the garbage collector may
/// finalize it while libtorch still reads it (a test run failed so in pow's Scalar check; TorchSharp PR #1434).
/// That includes the alpha of 1 that add and add_ (and +) pass when none is given, so the engine passes <see cref="One"/>
/// (a ladder's training failed so in add_'s Scalar check).
/// </summary>
internal static class EngineScalars
{
    public static readonly Scalar Zero = 0.ToScalar();

    public static readonly Scalar One = 1.ToScalar();

    public static readonly Scalar Two = 2.ToScalar();

    public static readonly Scalar True = true.ToScalar();

    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();
}
