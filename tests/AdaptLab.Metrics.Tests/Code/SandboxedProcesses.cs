using System.Text;

namespace AdaptLab.Metrics.Tests.Code;

/// <summary>Finds processes still running a sandboxed program (<c>python -I -</c>), anywhere on the machine.</summary>
internal static class SandboxedProcesses
{
    public static async Task<int> CountAfterSettlingAsync(string pythonPath)
    {
        // A killed pid namespace empties within milliseconds; allow for a slow, shared machine.
        var count = Count(pythonPath);
        for (var attempt = 0; attempt < 50 && count > 0; attempt++)
        {
            await Task.Delay(100);
            count = Count(pythonPath);
        }

        return count;
    }

    private static int Count(string pythonPath)
    {
        var signature = $"{pythonPath}\0-I\0-\0";
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                if (Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))) == signature)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The process exited while we looked.
            }
        }

        return count;
    }
}
