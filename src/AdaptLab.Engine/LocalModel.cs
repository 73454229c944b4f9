using AdaptLab.Engine.ChatTemplates;
using AdaptLab.Engine.Generation;
using AdaptLab.Engine.HuggingFace;
using AdaptLab.Engine.LlamaC;
using Microsoft.Extensions.AI;
using TorchSharp;

namespace AdaptLab.Engine;

/// <summary>Opens a model stored on disk as an <see cref="IChatClient"/> that runs in this process.</summary>
public static class LocalModel
{
    /// <summary>
    /// Opens a Hugging Face model directory (config.json, safetensors weights, tokenizer.json) or a llama2.c
    /// checkpoint: <paramref name="path"/> is then either the checkpoint .bin, with its tokenizer
    /// (tokenizer.bin or tok*.bin) beside it, or a directory holding both. A chat template comes from
    /// <see cref="LocalModelOptions.ChatTemplate"/>, else from a tokenizer_config.json in the model's folder.
    /// A PEFT LoRA adapter folder (adapter_config.json) opens its base with the adapter merged into the weights.
    /// </summary>
    public static LocalChatClient Open(string path, LocalModelOptions? options = null)
    {
        if (Directory.Exists(path) && PeftAdapter.IsIn(path))
        {
            var adapted = Open(PeftAdapter.BaseOf(path), options);
            try
            {
                PeftAdapter.MergeInto(adapted.Generator.Model, path);
            }
            catch
            {
                adapted.Dispose();
                throw;
            }

            return adapted;
        }

        if (Directory.Exists(path) && HfCheckpoint.IsModelDirectory(path))
        {
            var hfTemplate = ResolveChatTemplate(options?.ChatTemplate, path);
            UseThreads(options);
            return OpenHuggingFace(path, hfTemplate);
        }

        var (checkpoint, tokenizerPath) = LocateLlamaC(path);
        var template = ResolveChatTemplate(options?.ChatTemplate, Path.GetDirectoryName(Path.GetFullPath(checkpoint))!);
        UseThreads(options);
        var model = LlamaCCheckpoint.Load(checkpoint);
        var tokenizer = LlamaCTokenizer.Load(tokenizerPath);
        if (tokenizer.VocabSize != model.Config.VocabSize)
        {
            model.Dispose();
            throw new FormatException(
                $"{tokenizerPath} has {tokenizer.VocabSize} tokens but {checkpoint} expects a vocabulary of {model.Config.VocabSize}.");
        }

        return new LocalChatClient(new TextGenerator(model, tokenizer), Path.GetFileNameWithoutExtension(checkpoint), template);
    }

    /// <summary>A named family's template, none, or the tokenizer_config.json beside the checkpoint's (base models have none).</summary>
    private static ChatTemplate? ResolveChatTemplate(string? family, string directory)
    {
        if (family is not null)
        {
            return family.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : ChatTemplate.BuiltIn(family);
        }

        var config = Path.Combine(directory, "tokenizer_config.json");
        return File.Exists(config) ? ChatTemplate.FromTokenizerConfig(config) : null;
    }

    private static void UseThreads(LocalModelOptions? options)
    {
        TorchRuntime.EnsureLoaded();
        if (options?.Threads is { } threads)
        {
            if (threads < 1)
            {
                throw new ArgumentException($"Threads must be at least 1, not {threads}.", nameof(options));
            }

            torch.set_num_threads(threads);
        }
    }

    private static LocalChatClient OpenHuggingFace(string directory, ChatTemplate? template)
    {
        var tokenizer = HfTokenizer.Load(directory);
        var model = HfCheckpoint.Load(directory);
        if (tokenizer.VocabSize > model.Config.VocabSize)
        {
            model.Dispose();
            throw new FormatException(
                $"{Path.Combine(directory, HfTokenizer.TokenizerFile)} has {tokenizer.VocabSize} tokens but the model's vocabulary has only {model.Config.VocabSize}.");
        }

        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        return new LocalChatClient(new TextGenerator(model, tokenizer), name, template);
    }

    internal static (string Checkpoint, string Tokenizer) LocateLlamaC(string path)
    {
        if (Directory.Exists(path))
        {
            var tokenizer = FindTokenizer(path);
            var checkpoints = Directory.GetFiles(path, "*.bin").Where(f => f != tokenizer).ToList();
            return checkpoints.Count == 1
                ? (checkpoints[0], tokenizer)
                : throw new ArgumentException(
                    $"{path} should hold one llama2.c checkpoint .bin besides its tokenizer; found {checkpoints.Count}: {string.Join(", ", checkpoints.Select(Path.GetFileName))}.",
                    nameof(path));
        }

        if (File.Exists(path))
        {
            return (path, FindTokenizer(Path.GetDirectoryName(Path.GetFullPath(path))!));
        }

        throw new ArgumentException($"No model file or directory at {path}.", nameof(path));
    }

    private static string FindTokenizer(string directory)
    {
        var named = Path.Combine(directory, "tokenizer.bin");
        if (File.Exists(named))
        {
            return named;
        }

        var candidates = Directory.GetFiles(directory, "tok*.bin");
        return candidates.Length == 1
            ? candidates[0]
            : throw new ArgumentException(
                $"{directory} should hold one llama2.c tokenizer (tokenizer.bin or tok*.bin); found {candidates.Length}.", "path");
    }
}
