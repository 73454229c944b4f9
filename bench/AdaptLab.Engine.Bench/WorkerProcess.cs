using System.Diagnostics;
using System.Text.Json;

namespace AdaptLab.Engine.Bench;

/// <summary>Runs one side of a workload as a child process: the request goes in on stdin, a <see cref="SideResult"/> comes back on stdout.</summary>
internal static class WorkerProcess
{
    /// <summary>
    /// This program again, in worker mode, with the environment the bench was started with: the engine runs with
    /// its own defaults (TorchRuntime's OpenMP spin count), as users get it, unless that environment overrides them.
    /// </summary>
    public static ProcessStartInfo Engine()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The bench cannot tell how it was started.");
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(WorkerProcess).Assembly.Location);
        }

        start.ArgumentList.Add(EngineWorkerCommand);
        return start;
    }

    public const string EngineWorkerCommand = "worker";

    public static SideResult Run(ProcessStartInfo start, Workload work) => Run<Workload, SideResult>(start, work);

    /// <summary>Any request in, its result out, as JSON on stdin and stdout; a failed child's stderr in the exception.</summary>
    public static TResult Run<TRequest, TResult>(ProcessStartInfo start, TRequest work)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.StandardInput.Write(JsonSerializer.Serialize(work, BenchJson.Options));
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {errors.Result}");
        }

        return JsonSerializer.Deserialize<TResult>(output, BenchJson.Options)
            ?? throw new InvalidOperationException($"{start.FileName} printed no result.");
    }
}
