using System.Diagnostics;
using System.Globalization;

namespace AdaptLab.Metrics.Code;

/// <summary>
/// The command line that runs <c>python -I -</c> (program on stdin) inside bubblewrap: no network,
/// read-only system directories, a size-limited private tmpfs at /tmp as the only writable place, its own
/// pid, ipc and uts namespaces, and rlimits on address space, process count and core dumps.
/// </summary>
internal sealed record SandboxCommand(string FileName, IReadOnlyList<string> Arguments)
{
    // The kernel ignores RLIMIT_NPROC for uid 0, so root first drops to nobody. bwrap then creates
    // an unprivileged user namespace, and because prlimit sets the limit inside it the count covers
    // only this sandbox's processes: parallel sandboxes cannot starve each other.
    private const string UnprivilegedId = "65534";

    private static readonly string[] SystemRoots = ["/usr", "/etc"];

    // On merged-/usr systems these are symlinks into /usr; elsewhere real directories.
    private static readonly string[] TopLevelSystemDirs = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <exception cref="InvalidOperationException">A tool the sandbox needs is missing.</exception>
    public static SandboxCommand Create(SandboxOptions options)
    {
        var bwrap = ExecutableLookup.Find(options.BubblewrapPath) ?? throw new InvalidOperationException(
            $"bubblewrap ('{options.BubblewrapPath}') was not found on PATH; install it with `apt-get install bubblewrap`. " +
            "Model-generated code is never run outside the sandbox.");
        var prlimit = Require("prlimit");
        if (!File.Exists(options.PythonPath))
        {
            throw new InvalidOperationException($"the Python interpreter {options.PythonPath} does not exist; install python3 or set the python path");
        }

        var arguments = new List<string>();
        var fileName = bwrap;
        if (Environment.IsPrivilegedProcess)
        {
            fileName = Require("setpriv");
            arguments.AddRange([$"--reuid={UnprivilegedId}", $"--regid={UnprivilegedId}", "--clear-groups", "--", bwrap]);
        }

        arguments.AddRange(["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session"]);
        AddSystemMounts(arguments, options.PythonPath);
        arguments.AddRange([
            "--dev", "/dev",
            "--proc", "/proc",
            "--size", Invariant(options.ScratchLimitBytes), "--tmpfs", "/tmp",
            // bwrap's root and /dev are unbounded tmpfs mounts; left writable they would hold
            // whatever a program stores there in host memory.
            "--remount-ro", "/dev",
            "--remount-ro", "/",
            "--chdir", "/tmp",
            "--clearenv",
            "--setenv", "PATH", "/usr/bin:/bin",
            "--setenv", "HOME", "/tmp",
            "--setenv", "LANG", "C.UTF-8",
            "--",
            prlimit,
            $"--as={Invariant(options.MemoryLimitBytes)}",
            // +1 for bwrap's reaper, which is pid 1 of the sandbox and counts against the limit.
            $"--nproc={Invariant(options.MaxProcesses + 1)}",
            // Core dumps could reach a host-side handler through core_pattern.
            "--core=0",
            "--",
            options.PythonPath, "-I", "-",
        ]);
        return new SandboxCommand(fileName, arguments);
    }

    public ProcessStartInfo ToStartInfo()
    {
        var info = new ProcessStartInfo(FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // bwrap's --clearenv cleans only the program's environment; bwrap itself stays in the sandbox
        // as pid 1, readable through /proc/1/environ, so it must not inherit the CLI's (API keys included).
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/bin:/bin";
        info.Environment["LANG"] = "C.UTF-8";
        foreach (var argument in Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static void AddSystemMounts(List<string> arguments, string pythonPath)
    {
        foreach (var root in SystemRoots)
        {
            arguments.AddRange(["--ro-bind", root, root]);
        }

        foreach (var dir in TopLevelSystemDirs)
        {
            var info = new FileInfo(dir);
            if (info.LinkTarget is { } target)
            {
                arguments.AddRange(["--symlink", target, dir]);
            }
            else if (Directory.Exists(dir))
            {
                arguments.AddRange(["--ro-bind", dir, dir]);
            }
        }

        // A venv or self-built interpreter lives outside /usr: expose its installation prefix
        // (the folder above bin/) and that of the interpreter its symlink points to.
        var resolved = File.ResolveLinkTarget(pythonPath, returnFinalTarget: true)?.FullName ?? pythonPath;
        foreach (var prefix in new[] { pythonPath, resolved }.Select(InstallationPrefix).Distinct(StringComparer.Ordinal))
        {
            // Binding "/" would expose the whole host; such an interpreter fails the start-up probe instead.
            if (prefix != "/" && !IsUnderSystemDirs(prefix))
            {
                arguments.AddRange(["--ro-bind", prefix, prefix]);
            }
        }
    }

    private static string InstallationPrefix(string executable) =>
        Path.GetDirectoryName(Path.GetDirectoryName(executable)) ?? "/";

    private static bool IsUnderSystemDirs(string path) =>
        SystemRoots.Concat(TopLevelSystemDirs).Any(root => path == root || path.StartsWith(root + "/", StringComparison.Ordinal));

    private static string Require(string tool) => ExecutableLookup.Find(tool) ?? throw new InvalidOperationException(
        $"'{tool}' was not found on PATH; it comes with util-linux (`apt-get install util-linux`) and the code sandbox needs it");

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
