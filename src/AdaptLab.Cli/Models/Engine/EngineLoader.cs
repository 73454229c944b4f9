using System.Reflection;
using AdaptLab.Abstractions;

namespace AdaptLab.Cli.Models.Engine;

/// <summary>
/// Finds the in-process engine: in this program when its build includes it (the repository's own build and
/// tests), else the AdaptLab.Engine tool package installed beside this one, else the folder that
/// <see cref="PathVariable"/> names. The published adaptlab tool leaves the engine out, so that evaluating remote
/// models never downloads libtorch.
/// </summary>
internal static class EngineLoader
{
    public const string PathVariable = "ADAPTLAB_ENGINE_PATH";
    public const string PackageId = "AdaptLab.Engine";
    private const string HostFile = "adaptlab-engine.dll";
    private const string EngineAssembly = "AdaptLab.Engine";
    private const string EngineType = "AdaptLab.Engine.LocalEngine";

    private static readonly Lazy<ILocalEngine> Engine = new(Load);

    public static string Version { get; } = typeof(EngineLoader).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";

    /// <exception cref="InvalidOperationException">The engine is not installed, or not this version; the message says how to add it.</exception>
    public static ILocalEngine Get() => Engine.Value;

    private static ILocalEngine Load()
    {
        if (EngineLoadContext.IsOwnAssembly(EngineAssembly))
        {
            return Create(Assembly.Load(EngineAssembly), "this program");
        }

        var folder = Locate() ?? throw new InvalidOperationException(
            $"local: models run on AdaptLab's in-process engine, an add-on this adaptlab does not have (libtorch and ONNX Runtime, " +
            $"a 220 MB download). Add it where adaptlab is installed, e.g. `dotnet tool install --global {PackageId} --version {Version}` " +
            $"(or with adaptlab's --tool-path), or set {PathVariable} to a folder that holds {HostFile}");
        var context = new EngineLoadContext(Path.Combine(folder, HostFile));
        return Create(context.LoadFromAssemblyName(new AssemblyName(EngineAssembly)), folder);
    }

    private static ILocalEngine Create(Assembly assembly, string where)
    {
        var version = assembly.GetName().Version;
        if (assembly.GetType(EngineType) is not { } type || !typeof(ILocalEngine).IsAssignableFrom(type) ||
            version is null || $"{version.Major}.{version.Minor}.{version.Build}" != Version)
        {
            throw new InvalidOperationException(
                $"the engine in {where} is version {version?.ToString(3) ?? "unknown"}, but this adaptlab is {Version}: " +
                $"install `{PackageId}` version {Version}");
        }

        return (ILocalEngine)Activator.CreateInstance(type)!;
    }

    /// <summary>The explicit folder, else a tool store or NuGet package folder that holds adaptlab: its sibling AdaptLab.Engine* package.</summary>
    private static string? Locate()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } explicitFolder)
        {
            return File.Exists(Path.Combine(explicitFolder, HostFile)) ? explicitFolder
                : throw new InvalidOperationException($"{PathVariable} is '{explicitFolder}', which holds no {HostFile}");
        }

        // A tool store (.store/adaptlab/<version>/...) and the NuGet folder of local tools (packages/adaptlab/<version>/...)
        // both keep each package in a folder named by its lower-case id, with the engine's beside it.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir?.Parent is { } parent; dir = parent)
        {
            if (!dir.Name.Equals("adaptlab", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var package in parent.EnumerateDirectories(PackageId.ToLowerInvariant() + "*"))
            {
                var versionFolder = Path.Combine(package.FullName, Version);
                if (Directory.Exists(versionFolder) &&
                    Directory.EnumerateFiles(versionFolder, HostFile, SearchOption.AllDirectories).FirstOrDefault() is { } host)
                {
                    return Path.GetDirectoryName(host);
                }
            }
        }

        return null;
    }
}
