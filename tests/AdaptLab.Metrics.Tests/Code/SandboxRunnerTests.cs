using System.Net;
using System.Net.Sockets;
using AdaptLab.Metrics.Code;

namespace AdaptLab.Metrics.Tests.Code;

[Collection(SandboxCollection.Name)]
public class SandboxRunnerTests
{
    // Programs that end on their own get time to spare on a loaded machine; passing ones never wait for it.
    private static readonly SandboxOptions Limits = new() { TimeLimit = TimeSpan.FromMinutes(1) };
    private static readonly SandboxRunner Runner = new(Limits);

    // For programs that never end.
    private static readonly SandboxRunner Impatient = new(Limits with { TimeLimit = TimeSpan.FromSeconds(2) });

    [Fact]
    public async Task A_program_that_exits_zero_passes_and_may_use_its_scratch_dir()
    {
        var outcome = await Runner.RunAsync("""
            import os
            assert os.getcwd() == "/tmp"
            with open("scratch.txt", "w") as f:
                f.write("kept")
            assert open("/tmp/scratch.txt").read() == "kept"
            print("done")
            """);

        Assert.Equal(SandboxVerdict.Passed, outcome.Verdict);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Null(outcome.Summary);
    }

    [Fact]
    public async Task A_run_outlives_the_thread_that_started_it()
    {
        Assert.True((await Runner.RunAsync("pass")).Passed);
        Task<SandboxOutcome>? run = null;
        var starter = new Thread(() =>
        {
            run = Runner.RunAsync("import time\ntime.sleep(1)\n");
            Thread.Sleep(300); // long enough for bwrap to have tied itself to its parent
        });
        starter.Start();
        starter.Join();

        Assert.Equal(SandboxVerdict.Passed, (await run!).Verdict);
    }

    [Fact]
    public async Task An_exception_fails_with_its_last_traceback_line()
    {
        var outcome = await Runner.RunAsync("def f():\n    raise ValueError('boom')\nf()\n");

        Assert.Equal(SandboxVerdict.Failed, outcome.Verdict);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal("ValueError: boom", outcome.Summary);
        Assert.Contains("Traceback", outcome.StderrTail);
    }

    [Fact]
    public async Task A_silent_nonzero_exit_reports_the_code()
    {
        var outcome = await Runner.RunAsync("import sys\nsys.exit(3)\n");

        Assert.Equal(SandboxVerdict.Failed, outcome.Verdict);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal("exit code 3", outcome.Summary);
    }

    [Fact]
    public async Task A_death_by_signal_is_named()
    {
        var outcome = await Runner.RunAsync("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n");

        Assert.Equal(SandboxVerdict.Failed, outcome.Verdict);
        Assert.Equal("exit code 137 (killed by signal 9)", outcome.Summary);
    }

    [Fact]
    public async Task An_infinite_loop_times_out_and_is_killed()
    {
        var outcome = await Impatient.RunAsync("while True:\n    pass\n");

        Assert.Equal(SandboxVerdict.TimedOut, outcome.Verdict);
        Assert.Null(outcome.ExitCode);
        Assert.Equal("timed out after 2 s", outcome.Summary);
        Assert.Equal(0, await SandboxedProcesses.CountAfterSettlingAsync(Limits.PythonPath));
    }

    [Fact]
    public async Task A_fork_bomb_hits_the_process_cap_and_nothing_survives_the_timeout()
    {
        const string forkBomb = """
            import os
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
            """;

        var outcome = await Impatient.RunAsync(forkBomb);

        Assert.Equal(SandboxVerdict.TimedOut, outcome.Verdict);
        Assert.Equal(0, await SandboxedProcesses.CountAfterSettlingAsync(Limits.PythonPath));
        Assert.True((await Runner.RunAsync("print('still fine')")).Passed);
    }

    [Fact]
    public async Task Forking_is_refused_at_the_process_cap()
    {
        var outcome = await Runner.RunAsync("""
            import os, sys, time
            children = 0
            try:
                while True:
                    if os.fork() == 0:
                        time.sleep(60)
                        os._exit(0)
                    children += 1
            except OSError as e:
                sys.exit(f"fork refused after {children} children: {e.strerror}")
            """);

        Assert.Equal(SandboxVerdict.Failed, outcome.Verdict);
        // The cap counts the sandbox's pid 1 and the program itself besides the children.
        Assert.Equal($"fork refused after {Limits.MaxProcesses - 1} children: Resource temporarily unavailable", outcome.Summary);
        Assert.Equal(0, await SandboxedProcesses.CountAfterSettlingAsync(Limits.PythonPath));
    }

    [Fact]
    public async Task Each_sandbox_has_its_own_process_cap()
    {
        var bomb = Impatient.RunAsync("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n");
        await Task.Delay(300);
        var bystander = await Runner.RunAsync("import os\nif os.fork() == 0:\n    os._exit(0)\nos.wait()\n");

        Assert.Equal(SandboxVerdict.Passed, bystander.Verdict);
        Assert.Equal(SandboxVerdict.TimedOut, (await bomb).Verdict);
    }

    [Fact]
    public async Task Loopback_connections_do_not_reach_the_host()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var outcome = await Runner.RunAsync($"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1)\n");

        Assert.Equal(SandboxVerdict.Failed, outcome.Verdict);
        Assert.StartsWith("ConnectionRefusedError", outcome.Summary);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task There_is_no_route_to_external_hosts()
    {
        var outcome = await Runner.RunAsync("import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=1)\n");

        Assert.Equal(SandboxVerdict.Failed, outcome.Verdict);
        Assert.Equal("OSError: [Errno 101] Network is unreachable", outcome.Summary);
    }

    [Fact]
    public async Task Writes_outside_the_sandbox_never_reach_the_host()
    {
        var hostDir = Directory.CreateTempSubdirectory("adaptlab-sandbox-");
        try
        {
            var existing = Path.Combine(hostDir.FullName, "existing.txt");
            File.WriteAllText(existing, "original");
            var escaped = Path.Combine(hostDir.FullName, "escaped.txt");

            // The host's /tmp is not mounted: these land in the sandbox's own /tmp and vanish with it.
            var privateTmp = await Runner.RunAsync($"""
                import os
                os.makedirs({PythonString(hostDir.FullName)}, exist_ok=True)
                open({PythonString(existing)}, "w").write("overwritten")
                open({PythonString(escaped)}, "w").write("escaped")
                """);
            var etc = await Runner.RunAsync("open('/etc/adaptlab-escape', 'w').write('x')\n");
            var root = await Runner.RunAsync("open('/adaptlab-escape', 'w').write('x')\n");

            Assert.Equal(SandboxVerdict.Passed, privateTmp.Verdict);
            Assert.Equal("original", File.ReadAllText(existing));
            Assert.False(File.Exists(escaped));
            Assert.Equal("OSError: [Errno 30] Read-only file system: '/etc/adaptlab-escape'", etc.Summary);
            Assert.False(File.Exists("/etc/adaptlab-escape"));
            Assert.Equal("OSError: [Errno 30] Read-only file system: '/adaptlab-escape'", root.Summary);
        }
        finally
        {
            hostDir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_host_and_its_processes_are_out_of_sight()
    {
        var outcome = await Runner.RunAsync($"""
            import os
            assert not os.path.exists("/proc/{Environment.ProcessId}"), "host pid visible"
            assert not os.path.exists("/root") and not os.path.exists("/home"), "home folders visible"
            assert os.getuid() != 0, "runs as root"
            """);

        Assert.Null(outcome.Summary);
    }

    [Fact]
    public async Task Sandboxed_code_sees_no_variable_of_the_parent_process()
    {
        const string Name = "ADAPTLAB_SANDBOX_PROBE_KEY";
        var secret = "sk-probe-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(Name, secret);
        try
        {
            var program = ProcReader(secret);

            // Positive control: the same reader, run on the host with the variable set, finds it.
            var psi = new System.Diagnostics.ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardError = true };
            using (var host = System.Diagnostics.Process.Start(psi)!)
            {
                await host.StandardInput.WriteAsync(program);
                host.StandardInput.Close();
                var stderr = await host.StandardError.ReadToEndAsync();
                await host.WaitForExitAsync();
                Assert.Contains("leaked in /proc/", stderr);
            }

            var outcome = await Runner.RunAsync(program);

            Assert.Equal(SandboxVerdict.Passed, outcome.Verdict);
            Assert.DoesNotContain(secret, outcome.StderrTail);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Name, null);
        }
    }

    // Reads every environ and cmdline file in sight (pid 1 is bwrap's own reaper) and fails naming the
    // first that holds the secret; it also insists it could read its own, so a reader blind to
    // everything cannot pass.
    private static string ProcReader(string secret) => $$"""
        import glob, sys
        read = 0
        for path in glob.glob("/proc/[0-9]*/environ") + glob.glob("/proc/[0-9]*/cmdline") + glob.glob("/proc/[0-9]*/task/*/environ"):
            try:
                data = open(path, "rb").read()
            except OSError:
                continue
            read += 1
            if b"{{secret}}" in data:
                sys.exit("leaked in " + path)
        own = open("/proc/self/environ", "rb").read()
        assert b"PATH=" in own, "cannot read its own environment"
        print("read", read, "files", file=sys.stderr)
        """;

    [Theory]
    [InlineData("x = bytearray(10 * 1024 ** 3)\n")]
    [InlineData("chunks = []\nwhile True:\n    chunks.append(bytearray(64 * 1024 ** 2))\n")]
    public async Task Allocations_beyond_the_memory_limit_fail(string program)
    {
        var outcome = await Runner.RunAsync(program);

        Assert.Equal(SandboxVerdict.MemoryExceeded, outcome.Verdict);
        Assert.StartsWith("memory limit 512 MB exceeded", outcome.Summary);
    }

    [Theory]
    [InlineData("while True:\n    print('x' * 1000)\n")]
    [InlineData("import sys\nwhile True:\n    sys.stderr.write('y' * 1000)\n")]
    public async Task Output_beyond_the_cap_kills_the_program(string program)
    {
        var outcome = await Runner.RunAsync(program);

        Assert.Equal(SandboxVerdict.OutputExceeded, outcome.Verdict);
        Assert.Equal("output exceeded the 1 MB cap", outcome.Summary);
    }

    [Fact]
    public async Task The_scratch_dir_is_size_limited()
    {
        var outcome = await Runner.RunAsync("open('/tmp/big', 'wb').write(b'x' * (100 * 1024 ** 2))\n");

        Assert.Equal(SandboxVerdict.Failed, outcome.Verdict);
        Assert.StartsWith("OSError: [Errno 28] No space left on device", outcome.Summary);
    }

    [Fact]
    public async Task Cancelling_kills_the_sandbox()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner.RunAsync("while True:\n    pass\n", cancel.Token));
        Assert.Equal(0, await SandboxedProcesses.CountAfterSettlingAsync(Limits.PythonPath));
    }

    [Fact]
    public async Task Without_bubblewrap_nothing_runs_and_the_error_says_how_to_install_it()
    {
        var runner = new SandboxRunner(Limits with { BubblewrapPath = "/nonexistent/bwrap" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync("print(1)"));
        Assert.Contains("apt-get install bubblewrap", error.Message);
    }

    [Fact]
    public async Task An_interpreter_the_sandbox_cannot_use_fails_every_run_up_front()
    {
        var hidden = Directory.CreateTempSubdirectory("adaptlab-python-");
        try
        {
            // Temp folders are private to their owner, whom the sandbox drops when that is root; and the
            // file is no executable either way.
            var python = Path.Combine(hidden.CreateSubdirectory("bin").FullName, "python3");
            File.WriteAllText(python, "not an interpreter");
            var runner = new SandboxRunner(Limits with { PythonPath = python });

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync("print(1)"));
            Assert.Contains("sandbox for model-generated code does not work on this machine", error.Message);
        }
        finally
        {
            hidden.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void Rejects_nonpositive_limits(int seconds, long memory) =>
        Assert.Throws<ArgumentException>(() => new SandboxRunner(
            new SandboxOptions { TimeLimit = TimeSpan.FromSeconds(seconds), MemoryLimitBytes = memory }));

    [Fact]
    public void Rejects_a_relative_python_path() =>
        Assert.Throws<ArgumentException>(() => new SandboxRunner(new SandboxOptions { PythonPath = "python3" }));

    private static string PythonString(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
