namespace AdaptLab.Core.Decision;

/// <summary>The ladder's rungs, cheapest first: the order the climb takes and the order a tie is broken in.</summary>
internal enum RungKind
{
    Prompt,
    FewShot,
    Rag,
    FineTuned,
    FineTunedRag,
}

internal static class RungKinds
{
    /// <summary>The name a rung goes by in the run, the store and every report.</summary>
    public static string Name(this RungKind kind) => kind switch
    {
        RungKind.Prompt => "prompt",
        RungKind.FewShot => "few-shot",
        RungKind.Rag => "rag",
        RungKind.FineTuned => "fine-tuned",
        RungKind.FineTunedRag => "fine-tuned+rag",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static RungKind Parse(string name) => Enum.GetValues<RungKind>().Single(k => k.Name() == name);

    public static bool IsFineTuned(this RungKind kind) => kind is RungKind.FineTuned or RungKind.FineTunedRag;
}
