namespace AdaptLab.Engine.Constrained;

/// <summary>
/// For one schema and vocabulary, which tokens each parser state allows, computed once per state (a trie walk)
/// and cached. Along with each allowed token it keeps how many bytes would then still be needed to close the
/// document, so a token budget can be enforced without walking the trie again.
/// </summary>
internal sealed class JsonTokenMasker
{
    private readonly ITokenVocabulary vocabulary;
    private readonly TokenTrie trie;
    private readonly Dictionary<JsonState, StateMask> cache = [];
    private readonly int[] endTokens;

    public JsonTokenMasker(SchemaNode schema, ITokenVocabulary vocabulary)
    {
        this.vocabulary = vocabulary;
        Schema = schema;
        trie = TokenTrie.Build(vocabulary);
        endTokens = [.. Enumerable.Range(0, vocabulary.Count).Where(vocabulary.EndsText)];
        // Closing a document early writes its completion one byte per token, so every byte a completion can
        // hold (ASCII and UTF-8 continuation bytes) needs a token of its own.
        var single = new HashSet<byte>();
        for (var id = 0; id < vocabulary.Count; id++)
        {
            if (vocabulary.TokenBytes(id) is [var only])
            {
                single.Add(only);
            }
        }

        foreach (var b in Enumerable.Range(0x20, 0x5F).Concat(Enumerable.Range(0x80, 0x40)).Select(b => (byte)b).Where(b => !single.Contains(b)))
        {
            throw new ArgumentException($"The vocabulary has no single-byte token for 0x{b:X2}, which constrained decoding needs to close JSON early.");
        }
    }

    public SchemaNode Schema { get; }

    public ITokenVocabulary Vocabulary => vocabulary;

    /// <summary>The tokens allowed in <paramref name="state"/> when at most <paramref name="tokensLeft"/> tokens (this one included) remain.</summary>
    public bool[] Allowed(JsonState state, int tokensLeft)
    {
        var mask = Mask(state);
        if (tokensLeft - 1 >= mask.LongestCompletion)
        {
            return mask.Allowed;
        }

        var allowed = new bool[mask.Allowed.Length];
        for (var id = 0; id < allowed.Length; id++)
        {
            allowed[id] = mask.Allowed[id] && mask.CompletionAfter[id] <= tokensLeft - 1;
        }

        return allowed;
    }

    public StateMask Mask(JsonState state)
    {
        lock (cache)
        {
            if (cache.TryGetValue(state, out var known))
            {
                return known;
            }
        }

        var mask = Compute(state);
        lock (cache)
        {
            cache[state] = mask;
        }

        return mask;
    }

    private StateMask Compute(JsonState state)
    {
        var allowed = new bool[vocabulary.Count];
        var completionAfter = new int[vocabulary.Count];
        var longest = 0;
        var walk = new Stack<(TokenTrie Node, JsonState State)>();
        walk.Push((trie, state));
        while (walk.Count > 0)
        {
            var (node, at) = walk.Pop();
            foreach (var (b, child) in node.Children)
            {
                if (JsonAutomaton.Advance(at, b) is not { } next)
                {
                    continue;
                }

                if (child.Tokens.Count > 0)
                {
                    var completion = JsonAutomaton.Completion(next).Length;
                    longest = Math.Max(longest, completion);
                    foreach (var id in child.Tokens)
                    {
                        allowed[id] = true;
                        completionAfter[id] = completion;
                    }
                }

                walk.Push((child, next));
            }
        }

        if (!state.IsDone && JsonAutomaton.Completion(state).Length == 0)
        {
            foreach (var id in endTokens)
            {
                allowed[id] = true;
            }
        }

        return new StateMask(allowed, completionAfter, longest, state.IsDone ? 0 : JsonAutomaton.Completion(state).Length);
    }

    /// <summary>Allowed tokens, the completion length after each and the longest of those, and the state's own.</summary>
    internal sealed record StateMask(bool[] Allowed, int[] CompletionAfter, int LongestCompletion, int Completion);
}
