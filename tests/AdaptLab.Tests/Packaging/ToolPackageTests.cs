using System.Diagnostics;
using System.IO.Compression;
using AdaptLab.Tests.Support;
using Xunit.Abstractions;

namespace AdaptLab.Tests.Packaging;

/// <summary>
/// The packages a user installs, packed from a copy of this repository and installed with <c>dotnet tool
/// install</c> from a local feed: the adaptlab tool is small and has no engine, says how to add it, and runs
/// local: models once the AdaptLab.Engine add-on is installed beside it.
/// </summary>
public sealed class ToolPackageTests(ITestOutputHelper log)
{
    private const long SmallToolLimit = 50L << 20;
    private static readonly string Version = typeof(AdaptLab.Cli.CliApp).Assembly.GetName().Version!.ToString(3);

    [Fact]
    public async Task The_adaptlab_tool_is_small_and_adds_the_engine_as_a_separate_package()
    {
        using var temp = new TempDir();
        var source = temp.Path("src");
        var feed = temp.Path("feed");
        var tools = temp.Path("tools");
        await CopyRepositoryAsync(source);
        await RunAsync("dotnet", source, "pack", "src/AdaptLab.Cli", "-c", "Release", "-o", feed, "--nologo", "-nodeReuse:false");
        await RunAsync("dotnet", source, "pack", "src/AdaptLab.Engine.Tool", "-c", "Release", "-o", feed, "--nologo", "-nodeReuse:false");
        File.WriteAllText(temp.Path("nuget.config"),
            $"""<configuration><packageSources><clear /><add key="feed" value="{feed}" /></packageSources></configuration>""");

        foreach (var rid in new[] { "linux-x64", "linux-arm64", "osx-x64", "osx-arm64", "win-x64" })
        {
            var package = Path.Combine(feed, $"AdaptLab.{rid}.{Version}.nupkg");
            Assert.True(new FileInfo(package).Length < SmallToolLimit, $"{package}: {new FileInfo(package).Length >> 20} MiB");
            using var zip = ZipFile.OpenRead(package);
            Assert.DoesNotContain(zip.Entries, e => e.Name.Contains("torch", StringComparison.OrdinalIgnoreCase) ||
                e.Name.Contains("onnxruntime", StringComparison.OrdinalIgnoreCase) || e.Name.StartsWith("AdaptLab.Engine", StringComparison.Ordinal));
        }

        await RunAsync("dotnet", temp.Root, "tool", "install", "AdaptLab", "--version", Version, "--tool-path", tools, "--configfile", temp.Path("nuget.config"));
        var task = RepoPaths.Path("examples", "pet-names", "adaptlab.yaml");
        string[] eval = ["eval", task, "--store", temp.Path("runs.db")];

        var (missing, missingOutput) = await RunAsync(Path.Combine(tools, "adaptlab"), temp.Root, expectFailure: true, eval);
        Assert.True(missing == 2, missingOutput);
        Assert.Contains($"dotnet tool install --global AdaptLab.Engine --version {Version}", missingOutput);

        await RunAsync("dotnet", temp.Root, "tool", "install", "AdaptLab.Engine", "--version", Version, "--tool-path", tools, "--configfile", temp.Path("nuget.config"));
        var (_, check) = await RunAsync(Path.Combine(tools, "adaptlab-engine"), temp.Root);
        Assert.Contains("libtorch and ONNX Runtime load", check);
        var (_, evaluated) = await RunAsync(Path.Combine(tools, "adaptlab"), temp.Root, eval);
        Assert.Contains("fact-in-context vs closed-book", evaluated);

        var small = FolderSize(Path.Combine(tools, ".store", "adaptlab"));
        var engine = FolderSize(Path.Combine(tools, ".store", "adaptlab.engine"));
        log.WriteLine($"installed: adaptlab {small >> 20} MiB, AdaptLab.Engine {engine >> 20} MiB (each with its .nupkg kept by the tool store)");
        Assert.True(small < SmallToolLimit, $"adaptlab installs {small >> 20} MiB");
    }

    /// <summary>What git would clone (tracked and new, unignored files): no build output comes along.</summary>
    private static async Task CopyRepositoryAsync(string destination)
    {
        var (_, files) = await RunAsync("git", RepoPaths.Root, "ls-files", "--cached", "--others", "--exclude-standard");
        foreach (var file in files.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var from = RepoPaths.Path(file);
            if (File.Exists(from))
            {
                var to = Path.Combine(destination, file);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(from, to);
            }
        }
    }

    private static Task<(int Exit, string Output)> RunAsync(string program, string directory, params string[] args) =>
        RunAsync(program, directory, expectFailure: false, args);

    private static async Task<(int Exit, string Output)> RunAsync(string program, string directory, bool expectFailure, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        args.ToList().ForEach(psi.ArgumentList.Add);
        // The test host's MSBuild settings and an engine folder of our own must not leak into what a user would run.
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k == "ADAPTLAB_ENGINE_PATH").ToList())
        {
            psi.Environment.Remove(name);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        if (!expectFailure && process.ExitCode != 0)
        {
            Assert.Fail($"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{output}");
        }

        return (process.ExitCode, output);
    }

    private static long FolderSize(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
