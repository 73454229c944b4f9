using System.Diagnostics;
using System.Text.Json;

namespace AdaptLab.Tests.Support;

/// <summary>
/// Runs a reference computation in Debian's system Python (/usr/bin/python3, where python3-scipy,
/// python3-sklearn, python3-statsmodels and python3-nltk install) and returns its JSON output.
/// The script reads its input as JSON from stdin and prints JSON to stdout.
/// </summary>
public static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    public static JsonElement Run(string script, object input)
    {
        if (!File.Exists(Interpreter))
        {
            throw new InvalidOperationException($"{Interpreter} is missing: install Debian's python3 (see .ci/run).");
        }

        var psi = new ProcessStartInfo(Interpreter, ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(JsonSerializer.Serialize(input));
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The Python reference failed (exit {process.ExitCode}); is the module installed (see .ci/run)?\n{stderr.Result}");
        }

        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }
}
