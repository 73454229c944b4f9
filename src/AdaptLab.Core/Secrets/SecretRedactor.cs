using System.Collections;
using System.Text.RegularExpressions;

namespace AdaptLab.Core.Secrets;

/// <summary>
/// Removes secrets from text before it is stored, printed or put in a report: the values of the
/// environment variables that hold keys (every variable named by a model's <c>api_key_env</c>, and any
/// whose name says it holds a key, token, secret or password), and anything shaped like a bearer token or
/// a provider key. Provider error bodies and sandboxed programs echo such values back.
/// </summary>
internal sealed partial class SecretRedactor
{
    public const string Mask = "[REDACTED]";

    // Shorter values are too likely to occur in ordinary text (a port number, a word) to blank out.
    private const int MinimumSecretLength = 8;

    // Variables named by the task files this process loaded, whatever their names.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> KeyVariables = new(StringComparer.Ordinal);

    private readonly string[] secrets;

    private SecretRedactor(IEnumerable<string> secrets) =>
        // Longest first, so a secret that contains another is masked whole.
        this.secrets = secrets.Where(s => s.Length >= MinimumSecretLength).Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length).ToArray();

    /// <summary>Marks <paramref name="name"/> as a variable that holds a key, whatever it is called (a model's <c>api_key_env</c>).</summary>
    public static void RegisterKeyVariable(string name) => KeyVariables.TryAdd(name, 0);

    /// <summary>The secrets of the current environment.</summary>
    public static SecretRedactor FromEnvironment()
    {
        var values = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value && SecretName().IsMatch(name))
            {
                values.Add(value);
            }
        }

        foreach (var name in KeyVariables.Keys)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                values.Add(value);
            }
        }

        return new SecretRedactor(values);
    }

    /// <summary>Whether <paramref name="text"/> looks like a key itself rather than the name of a variable holding one.</summary>
    public static bool LooksLikeKey(string text) => KeyShape().IsMatch(text) || !VariableName().IsMatch(text);

    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        text = BearerToken().Replace(text, "Bearer " + Mask);
        return KeyShape().Replace(text, Mask);
    }

    [GeneratedRegex(@"(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"\bBearer\s+[A-Za-z0-9._~+/=-]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();

    // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), Hugging Face (hf_), GitHub (ghp_ and kin) and Google (AIza) keys.
    [GeneratedRegex(@"\b(sk-[A-Za-z0-9_-]{16,}|hf_[A-Za-z0-9]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|AIza[0-9A-Za-z_-]{30,})")]
    private static partial Regex KeyShape();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
