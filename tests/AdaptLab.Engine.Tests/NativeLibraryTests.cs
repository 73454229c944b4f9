using TorchSharp;

namespace AdaptLab.Engine.Tests;

public class NativeLibraryTests
{
    private const ushort VerFlagWeak = 0x2;

    private static string InOutput => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string InNuGetCache
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var version = typeof(torch).Assembly.GetName().Version!;
            return Path.Combine(packages, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }

    [Fact]
    public void Build_output_copy_needs_GLIBCXX_3_4_32_only_weakly_and_is_otherwise_the_package_file()
    {
        var patched = ElfVersionNeeds.Read(InOutput);
        var original = ElfVersionNeeds.Read(InNuGetCache);

        var need = Assert.Single(patched, n => n.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.Equal(VerFlagWeak, need.Flags & VerFlagWeak);
        Assert.Equal(0, original.Single(n => n.Version == "GLIBCXX_3.4.32").Flags & VerFlagWeak);
        Assert.Equal(original.Where(n => n.Version != "GLIBCXX_3.4.32"), patched.Where(n => n.Version != "GLIBCXX_3.4.32"));

        var before = File.ReadAllBytes(InNuGetCache);
        var after = File.ReadAllBytes(InOutput);
        Assert.Equal(before.Length, after.Length);
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
    }

    [Fact]
    public void TorchSharp_loads_in_the_test_process_and_runs_a_tensor_op()
    {
        Stories260K.UseTestThreads();
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var product = a.matmul(a);

        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());
    }
}
