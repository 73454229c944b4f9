using AdaptLab.Tests.Support;
using Mono.Cecil;

namespace AdaptLab.Tests.PublicApi;

/// <summary>
/// What Core makes public is what its PublicAPI files declare (the public-API analyzer holds the build to it too: RS0016 for
/// a symbol missing from the files, RS0017 for one declared but gone); the tests of this namespace use nothing else of
/// AdaptLab's; and the README's example is the one <see cref="PublicApiTests.The_readme_example_runs"/> runs.
/// </summary>
public class PublicSurfaceTests
{
    [Fact]
    public void Cores_public_types_are_those_its_PublicAPI_files_declare()
    {
        var declared = new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
            .SelectMany(file => File.ReadAllLines(RepoPaths.Path("src", "AdaptLab.Core", file)))
            .Select(line => line.TrimStart('~'))
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.Contains("->", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        var exported = typeof(AdaptLabEval).Assembly.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.')).Order(StringComparer.Ordinal);

        Assert.Equal(declared, exported);
        Assert.Contains("AdaptLab.AdaptLabEval", exported);
    }

    [Fact]
    public void The_public_API_tests_use_only_AdaptLabs_public_types_and_members()
    {
        var uses = NonPublicUses(typeof(PublicApiTests).Namespace!);

        Assert.True(uses.Count == 0, "non-public AdaptLab symbols used: " + string.Join(", ", uses));
    }

    [Fact]
    public void The_check_sees_a_non_public_use()
    {
        // Control: the CLI test helper builds the CLI's internal context, which the check above would reject.
        Assert.Contains("AdaptLab.Cli.CliContext", NonPublicUses(typeof(AdaptLabCli).Namespace!));
    }

    [Fact]
    public void The_readme_shows_the_example_the_tests_run()
    {
        var source = File.ReadAllLines(RepoPaths.Path("tests", "AdaptLab.Tests", "PublicApi", "PublicApiTests.cs"));
        var begin = Array.FindIndex(source, l => l.Trim() == "// README begin");
        var end = Array.FindIndex(source, l => l.Trim() == "// README end");
        Assert.True(begin >= 0 && end > begin + 3, "README markers not found");
        var lines = source[(begin + 1)..end];
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        var example = string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));

        Assert.Contains(example, File.ReadAllText(RepoPaths.Path("README.md")).ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The types, methods and fields of AdaptLab's own assemblies that the code of <paramref name="ns"/> in this test assembly
    /// names (in signatures and bodies, lambdas and state machines included) and that are not public.
    /// </summary>
    private static SortedSet<string> NonPublicUses(string ns)
    {
        var path = typeof(PublicSurfaceTests).Assembly.Location;
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(path)!);
        using var assembly = AssemblyDefinition.ReadAssembly(path, new ReaderParameters { AssemblyResolver = resolver });
        var self = assembly.Name.Name;
        var found = new SortedSet<string>(StringComparer.Ordinal);

        bool Ours(TypeReference type) =>
            type.Scope is AssemblyNameReference scope && scope.Name != self && (scope.Name == "adaptlab" || scope.Name.StartsWith("AdaptLab.", StringComparison.Ordinal));

        static bool Public(TypeDefinition type) => type.DeclaringType is { } outer ? type.IsNestedPublic && Public(outer) : type.IsPublic;

        void Type(TypeReference? type)
        {
            switch (type)
            {
                case null or GenericParameter:
                    return;
                case GenericInstanceType generic:
                    Type(generic.ElementType);
                    generic.GenericArguments.ToList().ForEach(Type);
                    return;
                case TypeSpecification specification:
                    Type(specification.ElementType);
                    return;
            }

            if (Ours(type!) && type!.Resolve() is { } definition && !Public(definition))
            {
                found.Add(definition.FullName);
            }
        }

        void Method(MethodReference method)
        {
            Type(method.DeclaringType);
            Type(method.ReturnType);
            method.Parameters.ToList().ForEach(p => Type(p.ParameterType));
            if (Ours(method.DeclaringType.GetElementType()) && method.Resolve() is { } definition && !(definition.IsPublic || definition.IsFamily))
            {
                found.Add($"{definition.DeclaringType.FullName}::{definition.Name}");
            }
        }

        foreach (var type in assembly.MainModule.GetTypes().Where(t => Outermost(t).Namespace == ns))
        {
            Type(type.BaseType);
            type.Interfaces.ToList().ForEach(i => Type(i.InterfaceType));
            type.Fields.ToList().ForEach(f => Type(f.FieldType));
            foreach (var method in type.Methods)
            {
                Method(method);
                if (!method.HasBody)
                {
                    continue;
                }

                method.Body.Variables.ToList().ForEach(v => Type(v.VariableType));
                foreach (var operand in method.Body.Instructions.Select(i => i.Operand))
                {
                    switch (operand)
                    {
                        case TypeReference t:
                            Type(t);
                            break;
                        case MethodReference m:
                            Method(m);
                            break;
                        case FieldReference f:
                            Type(f.DeclaringType);
                            Type(f.FieldType);
                            if (Ours(f.DeclaringType.GetElementType()) && f.Resolve() is { } field && !(field.IsPublic || field.IsFamily))
                            {
                                found.Add($"{field.DeclaringType.FullName}::{field.Name}");
                            }

                            break;
                    }
                }
            }
        }

        return found;
    }

    private static TypeReference Outermost(TypeReference type) => type.DeclaringType is { } outer ? Outermost(outer) : type;
}
