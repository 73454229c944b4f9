namespace AdaptLab.Engine.Gguf;

/// <summary>llama.cpp's token types (tokenizer.ggml.token_type), which its tokenizer and decoder follow.</summary>
internal enum GgufTokenType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}
