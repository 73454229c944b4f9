namespace AdaptLab.Abstractions;

/// <summary>
/// LoRA as PEFT defines it: each target projection W gains (Alpha / Rank)·B·A, A [Rank, in] initialized as PEFT does
/// and B [out, Rank] at zero, with dropout on the adapter's input; only the adapters and <see cref="ModulesToSave"/> train.
/// Module names are Hugging Face's (q_proj … down_proj, embed_tokens, lm_head), whatever the base's own format.
/// </summary>
/// <param name="TargetModules">The projections that get adapters: any of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj.</param>
/// <param name="ModulesToSave">Whole modules trained beside the adapters: embed_tokens and lm_head (one table when the model ties them).</param>
public sealed record LoraOptions(int Rank, double Alpha, double Dropout, IReadOnlyList<string> TargetModules, IReadOnlyList<string> ModulesToSave)
{
    public static IReadOnlyList<string> AllProjections { get; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public static IReadOnlyList<string> SavableModules { get; } = ["embed_tokens", "lm_head"];

    public double Scale => Alpha / Rank;

    // Lists compare by content: a checkpoint resumes only under the same settings, read back from JSON.
    public bool Equals(LoraOptions? other) =>
        other is not null && Rank == other.Rank && Alpha.Equals(other.Alpha) && Dropout.Equals(other.Dropout) &&
        TargetModules.SequenceEqual(other.TargetModules) && ModulesToSave.SequenceEqual(other.ModulesToSave);

    public override int GetHashCode() => HashCode.Combine(Rank, Alpha, Dropout, string.Join(',', TargetModules), string.Join(',', ModulesToSave));

    /// <exception cref="ArgumentException">A setting is out of range or names a module LoRA cannot target.</exception>
    public void Validate()
    {
        if (Rank < 1 || Alpha <= 0 || Dropout is < 0 or >= 1)
        {
            throw new ArgumentException($"LoRA needs a rank of at least 1, an alpha above 0 and a dropout in [0, 1), not r={Rank}, alpha={Alpha}, dropout={Dropout}");
        }

        if (TargetModules.Count == 0 || TargetModules.Any(m => !AllProjections.Contains(m)))
        {
            throw new ArgumentException($"LoRA target modules are among {string.Join(", ", AllProjections)}; got '{string.Join(",", TargetModules)}'");
        }

        if (ModulesToSave.FirstOrDefault(m => !SavableModules.Contains(m)) is { } module)
        {
            throw new ArgumentException($"modules_to_save are among {string.Join(", ", SavableModules)}; got '{module}'");
        }
    }
}
