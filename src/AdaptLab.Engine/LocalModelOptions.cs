namespace AdaptLab.Engine;

/// <summary>How to run a local model. <see cref="Threads"/> sets TorchSharp's process-wide intra-op thread count when given.</summary>
public sealed record LocalModelOptions(int? Threads = null);
