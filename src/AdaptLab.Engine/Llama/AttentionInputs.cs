using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// What every layer's attention needs besides its input: the rotations for the positions being run (complex,
/// from <see cref="RotaryEmbedding"/>), the mask (null when plain causal attention or a single unpadded step needs
/// none) and the cache. The mask is [B or 1, 1, groups * T, keys]: each query's row repeated for the query heads
/// that share a key/value head, the layout grouped attention folds them into (groups = heads / kvHeads).
/// <see cref="Fused"/> says the layers may take their inference path (no autograd is recording).
/// </summary>
internal sealed record AttentionInputs(Tensor Rotation, Tensor? Mask, bool IsCausal, KvCache? Cache, bool Fused);
