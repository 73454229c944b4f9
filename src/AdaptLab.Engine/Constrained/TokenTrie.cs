namespace AdaptLab.Engine.Constrained;

/// <summary>
/// The vocabulary's token texts as a byte trie, so that a mask is found by walking the automaton once per
/// shared prefix instead of once per token: a rejected prefix prunes every token that starts with it.
/// </summary>
internal sealed class TokenTrie
{
    private TokenTrie() { }

    public Dictionary<byte, TokenTrie> Children { get; } = [];

    /// <summary>Tokens whose text ends at this node.</summary>
    public List<int> Tokens { get; } = [];

    public static TokenTrie Build(ITokenVocabulary vocabulary)
    {
        var root = new TokenTrie();
        for (var id = 0; id < vocabulary.Count; id++)
        {
            var text = vocabulary.TokenBytes(id);
            if (text.IsEmpty)
            {
                continue;
            }

            var node = root;
            foreach (var b in text)
            {
                if (!node.Children.TryGetValue(b, out var child))
                {
                    child = new TokenTrie();
                    node.Children[b] = child;
                }

                node = child;
            }

            node.Tokens.Add(id);
        }

        return root;
    }
}
