using System.Reflection;
using System.Runtime.Loader;

namespace AdaptLab.Cli.Models.Engine;

/// <summary>
/// Loads the engine add-on from its install folder, resolving its assemblies and native libraries (libtorch,
/// ONNX Runtime) through the add-on's own deps.json. An assembly this program ships itself (the contract,
/// Microsoft.Extensions.AI, the framework) comes from the program, so the engine's types are the program's.
/// </summary>
internal sealed class EngineLoadContext(string hostAssemblyPath) : AssemblyLoadContext("adaptlab-engine")
{
    private static readonly HashSet<string> OwnAssemblies = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(Path.GetFileNameWithoutExtension)
        .ToHashSet(StringComparer.OrdinalIgnoreCase)!;

    private readonly AssemblyDependencyResolver resolver = new(hostAssemblyPath);

    /// <summary>Whether this program ships the assembly itself (it is in its deps.json).</summary>
    public static bool IsOwnAssembly(string name) => OwnAssemblies.Contains(name);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && IsOwnAssembly(name))
        {
            return null;
        }

        return resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    protected override nint LoadUnmanagedDll(string unmanagedDllName) =>
        resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : 0;
}
