namespace AdaptLab.Abstractions;

/// <summary>
/// What a model is, beyond its name: for an in-process model a hash of its weight, tokenizer and template files,
/// so retrained weights in the same folder are a different model to the response cache and the run store.
/// Offered through <c>IChatClient.GetService</c>.
/// </summary>
public interface IModelIdentity
{
    /// <summary>A stable text such as <c>sha256:…</c>; equal exactly when the model's files are.</summary>
    string Identity { get; }
}
