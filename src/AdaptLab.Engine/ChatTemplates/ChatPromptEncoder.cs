using AdaptLab.Engine.Generation;
using AdaptLab.Engine.LlamaC;

namespace AdaptLab.Engine.ChatTemplates;

/// <summary>
/// Token ids of a rendered chat prompt. The template writes special tokens as text (its bos_token and
/// eos_token, or SentencePiece's &lt;s&gt;, &lt;/s&gt;, &lt;unk&gt;); those become their ids and the text between them
/// is encoded as plain text. As with Hugging Face's apply_chat_template, no BOS is added beyond the template's.
/// A Hugging Face tokenizer finds its added (special) tokens in the text itself.
/// </summary>
internal static class ChatPromptEncoder
{
    public static List<int> Encode(ITokenizer tokenizer, string prompt, ChatTemplate template) =>
        tokenizer is LlamaCTokenizer llamaC ? EncodeLlamaC(llamaC, prompt, template) : tokenizer.Encode(prompt, addBos: false);

    private static List<int> EncodeLlamaC(LlamaCTokenizer tokenizer, string prompt, ChatTemplate template)
    {
        var specials = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["<unk>"] = LlamaCTokenizer.UnknownId,
            ["<s>"] = LlamaCTokenizer.BosId,
            ["</s>"] = LlamaCTokenizer.EosId,
        };
        if (!string.IsNullOrEmpty(template.BosToken))
        {
            specials[template.BosToken] = LlamaCTokenizer.BosId;
        }

        if (!string.IsNullOrEmpty(template.EosToken))
        {
            specials[template.EosToken] = LlamaCTokenizer.EosId;
        }

        var ids = new List<int>();
        var start = 0;
        while (start < prompt.Length)
        {
            var (at, special) = specials.Keys
                .Select(s => (At: prompt.IndexOf(s, start, StringComparison.Ordinal), Special: s))
                .Where(m => m.At >= 0)
                .OrderBy(m => m.At).ThenByDescending(m => m.Special.Length)
                .FirstOrDefault((-1, ""));
            var end = at < 0 ? prompt.Length : at;
            if (end > start)
            {
                ids.AddRange(tokenizer.Encode(prompt[start..end], addBos: false));
            }

            if (at < 0)
            {
                break;
            }

            ids.Add(specials[special]);
            start = at + special.Length;
        }

        return ids;
    }
}
