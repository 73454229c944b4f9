using AdaptLab.Engine.ChatTemplates;
using AdaptLab.Engine.Generation;
using AdaptLab.Engine.LlamaC;
using Microsoft.Extensions.AI;
using TorchSharp;

namespace AdaptLab.Engine;

/// <summary>Opens a model stored on disk as an <see cref="IChatClient"/> that runs in this process.</summary>
public static class LocalModel
{
    /// <summary>
    /// Opens a llama2.c checkpoint: <paramref name="path"/> is either the checkpoint .bin, with its tokenizer
    /// (tokenizer.bin or tok*.bin) beside it, or a directory holding both.
    /// </summary>
    public static LocalChatClient Open(string path, LocalModelOptions? options = null)
    {
        var (checkpoint, tokenizerPath) = LocateLlamaC(path);
        var template = ResolveChatTemplate(options?.ChatTemplate, Path.GetDirectoryName(Path.GetFullPath(checkpoint))!);
        TorchRuntime.EnsureLoaded();
        if (options?.Threads is { } threads)
        {
            if (threads < 1)
            {
                throw new ArgumentException($"Threads must be at least 1, not {threads}.", nameof(options));
            }

            torch.set_num_threads(threads);
        }

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

    private static (string Checkpoint, string Tokenizer) LocateLlamaC(string path)
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
