using System.Diagnostics;
using System.Text;

namespace AdaptLab.Tests.Support;

/// <summary>The built <c>adaptlab</c> as a process of its own (to be killed, or to get its own environment), output captured.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly StringBuilder output = new();
    private readonly StringBuilder errors = new();

    private CliProcess(Process process) => Process = process;

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    public static CliProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "adaptlab.dll"));
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        var child = new CliProcess(Process.Start(psi)!);
        child.Process.OutputDataReceived += (_, e) => Append(child.output, e.Data);
        child.Process.ErrorDataReceived += (_, e) => Append(child.errors, e.Data);
        child.Process.BeginOutputReadLine();
        child.Process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process and its captured output to end; returns the exit code.</summary>
    public async Task<int> WaitAsync()
    {
        await Process.WaitForExitAsync();
        return Process.ExitCode;
    }

    public override string ToString() => $"exit {(Process.HasExited ? Process.ExitCode : "(running)")}\nstdout:\n{Output}\nstderr:\n{Errors}";

    public void Dispose() => Process.Dispose();

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.AppendLine(line);
            }
        }
    }
}
