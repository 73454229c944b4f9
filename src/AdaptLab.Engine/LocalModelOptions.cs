namespace AdaptLab.Engine;

/// <summary>
/// How to run a local model. <see cref="Threads"/> sets TorchSharp's process-wide intra-op thread count when
/// given. <see cref="ChatTemplate"/> names a built-in chat template family (chatml, llama3, llama2, mistral,
/// phi3, gemma) or "none" for plain completion; when null, the checkpoint's tokenizer_config.json decides.
/// </summary>
public sealed record LocalModelOptions(int? Threads = null, string? ChatTemplate = null);
