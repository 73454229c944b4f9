using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// What every layer's attention needs besides its input: rotation tables for the positions being run, the
/// mask (null when plain causal attention or a single unpadded step needs none) and the cache.
/// </summary>
internal sealed record AttentionInputs(Tensor Cos, Tensor Sin, Tensor? Mask, bool IsCausal, KvCache? Cache);
