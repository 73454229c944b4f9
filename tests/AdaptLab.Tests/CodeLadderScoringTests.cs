using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

/// <summary>
/// Scores are computed once: a ladder on a code task runs each completion in the sandbox once, however many rungs it
/// climbs after it. A bubblewrap shim on PATH logs each program (by hash) and hands it to the real bubblewrap.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CodeLadderScoringTests
{
    private const int Problems = 4;

    // Each variant's completions differ from the other's (a comment names the variant), so two rungs never share a program.
    private static string Answer(string prompt)
    {
        var n = int.Parse(prompt[(prompt.IndexOf('#') + 1)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var variant = prompt.StartsWith("Chat", StringComparison.Ordinal) ? "chat" : "plain";
        return $"def f{n}(x):\n    # {variant}\n    return x * 7 + {(variant == "plain" && n % 2 == 0 ? n + 1 : n)}\n";
    }

    [Fact]
    public async Task A_pass_at_k_ladder_runs_each_completion_in_the_sandbox_once()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var log = dir.Path("sandbox.log");
        var path = Shim(dir, log);
        var task = WriteTask(dir, server.Endpoint);

        using var cli = CliProcess.Start(new Dictionary<string, string> { ["PATH"] = path }, "run", task, "--all", "--json", "--store", dir.Path("runs.db"));
        var exit = await cli.WaitAsync();

        Assert.True(exit is 0 or 1, cli.ToString());
        var study = JsonDocument.Parse(cli.Output).RootElement;
        var measured = study.GetProperty("rungs").EnumerateArray().Count(r => r.TryGetProperty("evidence", out var evidence) && evidence.ValueKind == JsonValueKind.Object);
        Assert.True(measured == 2, cli.ToString());

        var probe = Sha256("pass");
        var programs = File.ReadAllLines(log).Where(hash => hash != probe).ToList();
        Assert.Equal(2 * Problems, programs.Count);
        Assert.Equal(programs.Count, programs.Distinct().Count());
    }

    [Fact]
    public async Task The_shim_sees_a_program_run_twice()
    {
        // The control: an eval scored twice (a second run of the same task) runs each completion again, and the log shows it.
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var log = dir.Path("sandbox.log");
        var path = Shim(dir, log);
        var task = WriteTask(dir, server.Endpoint);
        for (var i = 0; i < 2; i++)
        {
            using var cli = CliProcess.Start(new Dictionary<string, string> { ["PATH"] = path }, "eval", task, "--variant", "plain", "--store", dir.Path("runs.db"));
            Assert.True(await cli.WaitAsync() is 0 or 1, cli.ToString());
        }

        var programs = File.ReadAllLines(log).Where(hash => hash != Sha256("pass")).ToList();
        Assert.Equal(2 * Problems, programs.Count);
        Assert.Equal(Problems, programs.Distinct().Count());
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A <c>bwrap</c> first on PATH that logs the SHA-256 of the program on its stdin and runs the real one.</summary>
    private static string Shim(TempDir dir, string log)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        var real = path.Split(':').Select(d => Path.Combine(d, "bwrap")).First(File.Exists);
        var shim = dir.Write("shim/bwrap", $"""
            #!/bin/sh
            program=$(mktemp)
            cat > "$program"
            sha256sum < "$program" | cut -c1-64 >> '{log}'
            exec 3< "$program"
            rm -f "$program"
            exec '{real}' "$@" <&3
            """);
        // Run as root, the sandbox drops to an unprivileged user before bubblewrap: the shim and its log are for everyone.
        const UnixFileMode everyone = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(shim, everyone | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.WriteAllText(log, string.Empty);
        File.SetUnixFileMode(log, everyone | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        return Path.GetDirectoryName(shim) + ":" + path;
    }

    private static string WriteTask(TempDir dir, string endpoint)
    {
        var rows = Enumerable.Range(0, Problems).Select(n => JsonSerializer.Serialize(new
        {
            task_id = n,
            text = $"#{n} multiply by 7 and add {n}",
            code = $"def f{n}(x):\n    return x * 7 + {n}\n",
            test_list = new[] { $"assert f{n}(1) == 7 + {n}", $"assert f{n}(0) == {n}" },
        }));
        var train = Enumerable.Range(0, Problems).Select(n => JsonSerializer.Serialize(new
        {
            task_id = 100 + n,
            text = $"#{n} multiply by 7, then add {n}",
            code = $"def f{n}(x):\n    return x * 7 + {n}\n",
            test_list = new[] { $"assert f{n}(0) == {n}" },
        }));
        dir.Write("data/test.jsonl", string.Join('\n', rows) + "\n");
        dir.Write("data/train.jsonl", string.Join('\n', train) + "\n");
        dir.Write("prompts/chat.liquid", "Chat: write the function for problem {{ input }}");
        dir.Write("prompts/plain.liquid", "Code: problem {{ input }}");
        return dir.Write("adaptlab.yaml", $$"""
            name: code-ladder
            task: code
            data:
              test: data/test.jsonl
              train: data/train.jsonl
              fields: { id: task_id, input: text, expected: code, extra: { tests: test_list } }
            metrics: [{ name: pass_at_1, test_format: asserts, timeout_s: 60 }]
            models:
              fake: { ref: "openai-compatible:fake-model", endpoint: "{{endpoint}}" }
            defaults: { model: fake, temperature: 0, max_tokens: 256 }
            variants:
              - { name: plain, prompt: prompts/plain.liquid }
              - { name: chat, prompt: prompts/chat.liquid, shots: { select: random, k: 1 } }
            ladder: { prompt: plain, few_shot: chat, diagnose: { samples: 0, constrained: false } }
            """);
    }
}
