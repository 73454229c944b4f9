using AdaptLab.Engine.Generation;
using AdaptLab.Engine.LlamaC;
using AdaptLab.Tests.Support;
using TorchSharp;

namespace AdaptLab.Engine.Tests;

/// <summary>The stories260K llama2.c model from shared/models, loaded with the 1 thread tests may use.</summary>
internal static class Stories260K
{
    public static string Directory => SharedData.Path("models", "stories260K");

    public static string Checkpoint => SharedData.Path("models", "stories260K", "stories260K.bin");

    public static string TokenizerPath => SharedData.Path("models", "stories260K", "tok512.bin");

    public static LlamaCTokenizer Tokenizer() => LlamaCTokenizer.Load(TokenizerPath);

    public static TextGenerator Generator()
    {
        UseTestThreads();
        return new TextGenerator(LlamaCCheckpoint.Load(Checkpoint), Tokenizer());
    }

    public static LocalChatClient Client() => LocalModel.Open(Directory, new LocalModelOptions(Threads: 1));

    /// <summary>The machine's 2 cores are shared with other builds.</summary>
    public static void UseTestThreads() => torch.set_num_threads(1);
}
