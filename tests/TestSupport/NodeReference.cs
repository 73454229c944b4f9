using System.Diagnostics;
using System.Text.Json;

namespace AdaptLab.Tests.Support;

/// <summary>
/// Runs a reference computation in Node.js with the npm packages that scripts/setup.sh installs into the
/// repository's ignored npm-ref/ folder (or $ADAPTLAB_NPM_REF). The script reads JSON on stdin and prints JSON.
/// </summary>
public static class NodeReference
{
    public static string Folder =>
        Environment.GetEnvironmentVariable("ADAPTLAB_NPM_REF") is { Length: > 0 } folder ? folder : RepoPaths.Path("npm-ref");

    public static string Modules => Path.Combine(Folder, "node_modules");

    /// <summary>The path of a file inside an installed package, failing with the install command when it is missing.</summary>
    public static string PackageFile(string package, params string[] path)
    {
        var file = Path.Combine([Modules, package, .. path]);
        return File.Exists(file) ? file : throw new InvalidOperationException(MissingMessage(package));
    }

    public static JsonElement Run(string script, object input, string requiredPackage)
    {
        PackageFile(requiredPackage, "package.json");
        var scriptFile = Path.Combine(Path.GetTempPath(), $"adaptlab-ref-{Guid.NewGuid():N}.cjs");
        File.WriteAllText(scriptFile, script);
        try
        {
            var psi = new ProcessStartInfo("node", [scriptFile])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.Environment["NODE_PATH"] = Modules;
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start; install Node.js 20 (apt-get install -y nodejs).");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(JsonSerializer.Serialize(input));
            process.StandardInput.Close();
            process.WaitForExit();
            return process.ExitCode == 0
                ? JsonDocument.Parse(stdout.Result).RootElement.Clone()
                : throw new InvalidOperationException($"The Node reference failed (exit {process.ExitCode}):\n{stderr.Result}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("node is not installed: apt-get install -y nodejs (Node 20).", e);
        }
        finally
        {
            File.Delete(scriptFile);
        }
    }

    private static string MissingMessage(string package) =>
        $"The npm package {package} is missing from {Modules}. Install the references with scripts/setup.sh " +
        "(or set ADAPTLAB_NPM_REF to a folder whose node_modules holds them; shared/PEERS.md lists them).";
}
