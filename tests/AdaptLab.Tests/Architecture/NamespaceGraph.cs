using Mono.Cecil;

namespace AdaptLab.Tests.Architecture;

/// <summary>
/// Which of an assembly's namespaces use which, read from its compiled code: every type a type names in its signatures,
/// attributes and method bodies (lambdas and state machines count for the type they were written in).
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, SortedSet<string>> uses = [];
    private readonly Dictionary<(string From, string To), SortedSet<string>> because = [];

    private NamespaceGraph()
    {
    }

    /// <summary>Namespace → the namespaces (of the same root, other than itself) it uses.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Uses => uses;

    public static NamespaceGraph Read(string assemblyPath, string root)
    {
        var graph = new NamespaceGraph();
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        foreach (var type in assembly.MainModule.GetTypes())
        {
            var from = NamespaceOf(type);
            if (!InRoot(from, root))
            {
                continue;
            }

            var used = graph.uses.TryGetValue(from, out var set) ? set : graph.uses[from] = [];
            foreach (var reference in Referenced(type))
            {
                var to = NamespaceOf(reference);
                if (to != from && InRoot(to, root))
                {
                    used.Add(to);
                    var pairs = graph.because.TryGetValue((from, to), out var seen) ? seen : graph.because[(from, to)] = [];
                    pairs.Add($"{Outermost(type).Name} uses {Outermost(reference).Name}");
                }
            }
        }

        return graph;
    }

    public static NamespaceGraph Of(IEnumerable<(string From, string To)> edges)
    {
        var graph = new NamespaceGraph();
        foreach (var (from, to) in edges)
        {
            (graph.uses.TryGetValue(from, out var set) ? set : graph.uses[from] = []).Add(to);
            graph.uses.TryAdd(to, []);
        }

        return graph;
    }

    /// <summary>The graph's cycles: its strongly connected components of more than one namespace (Tarjan), each sorted.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in uses.TryGetValue(node, out var set) ? set : [])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    cycles.Add(component);
                }
            }
        }

        foreach (var node in uses.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;
    }

    /// <summary>Each edge inside the cycle with the types that make it, for a message a reader can act on.</summary>
    public string Describe(IReadOnlyList<string> cycle) =>
        string.Join("; ", cycle.SelectMany(from => uses[from].Where(cycle.Contains).Select(to =>
            because.TryGetValue((from, to), out var pairs) ? $"{from} → {to} ({string.Join(", ", pairs)})" : $"{from} → {to}")));

    private static bool InRoot(string name, string root) => name == root || name.StartsWith(root + ".", StringComparison.Ordinal);

    private static string NamespaceOf(TypeReference type) => Outermost(type).Namespace;

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static IEnumerable<TypeReference> Referenced(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference)
        {
            switch (reference)
            {
                case null or GenericParameter:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    generic.GenericArguments.ToList().ForEach(Add);
                    return;
                case TypeSpecification specification:
                    Add(specification.ElementType);
                    return;
                default:
                    found.Add(reference);
                    return;
            }
        }

        void AddMethod(MethodReference method)
        {
            Add(method.DeclaringType);
            Add(method.ReturnType);
            method.Parameters.ToList().ForEach(p => Add(p.ParameterType));
            if (method is GenericInstanceMethod generic)
            {
                generic.GenericArguments.ToList().ForEach(Add);
            }
        }

        void AddAttributes(ICustomAttributeProvider provider)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                AddMethod(attribute.Constructor);
                attribute.ConstructorArguments.Select(a => a.Value).OfType<TypeReference>().ToList().ForEach(Add);
            }
        }

        Add(type.BaseType);
        type.Interfaces.ToList().ForEach(i => Add(i.InterfaceType));
        type.GenericParameters.SelectMany(p => p.Constraints).ToList().ForEach(c => Add(c.ConstraintType));
        AddAttributes(type);
        foreach (var field in type.Fields)
        {
            Add(field.FieldType);
            AddAttributes(field);
        }

        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property);
        }

        foreach (var @event in type.Events)
        {
            Add(@event.EventType);
        }

        foreach (var method in type.Methods)
        {
            AddMethod(method);
            AddAttributes(method);
            method.Parameters.ToList().ForEach(AddAttributes);
            if (!method.HasBody)
            {
                continue;
            }

            method.Body.Variables.ToList().ForEach(v => Add(v.VariableType));
            method.Body.ExceptionHandlers.ToList().ForEach(h => Add(h.CatchType));
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Add(t);
                        break;
                    case MethodReference m:
                        AddMethod(m);
                        break;
                    case FieldReference f:
                        Add(f.DeclaringType);
                        Add(f.FieldType);
                        break;
                    case CallSite site:
                        Add(site.ReturnType);
                        break;
                }
            }
        }

        return found;
    }
}
