using Microsoft.Extensions.AI;

namespace AdaptLab.Abstractions;

/// <summary>
/// The in-process engine behind <c>local:</c> models and the built-in sentence encoder. It carries libtorch and
/// ONNX Runtime (hundreds of MB), so it is an add-on: the core and the CLI reach it only through this interface.
/// </summary>
public interface ILocalEngine
{
    /// <summary>Opens a model folder or checkpoint; the client offers <see cref="IModelTokenizer"/> through <c>GetService</c>.</summary>
    /// <exception cref="IOException">The files cannot be read.</exception>
    /// <exception cref="InvalidDataException">A file is not what its name says.</exception>
    /// <exception cref="FormatException">The model's files disagree with each other or with what the engine supports.</exception>
    IChatClient OpenChatModel(string path);

    /// <summary>all-MiniLM-L6-v2 (384 dimensions, unit length); its weights ship with the engine.</summary>
    /// <exception cref="InvalidOperationException">ONNX Runtime did not load on this machine; the message says why.</exception>
    IEmbeddingGenerator<string, Embedding<float>> OpenSentenceEncoder();
}
