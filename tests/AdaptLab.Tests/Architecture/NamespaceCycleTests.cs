using AdaptLab.Core.Tasks;

namespace AdaptLab.Tests.Architecture;

/// <summary>
/// Core's namespaces are the stages of its data flow: each may use the ones before it, none the ones after, so no two
/// namespaces use each other, even through others.
/// </summary>
public class NamespaceCycleTests
{
    private static readonly NamespaceGraph Core = NamespaceGraph.Read(typeof(TaskDefinition).Assembly.Location, "AdaptLab.Core");

    [Fact]
    public void Cores_namespaces_form_no_cycle()
    {
        var cycles = Core.Cycles();

        Assert.True(cycles.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, cycles.Select(Core.Describe)));
    }

    [Fact]
    public void The_graph_sees_what_a_namespace_uses_in_signatures_and_bodies()
    {
        // Control: an empty graph would pass the test above. The store's methods take and return task definitions.
        Assert.Contains("AdaptLab.Core.Tasks", Core.Uses["AdaptLab.Core.Store"]);
        Assert.True(Core.Uses.Count > 10, $"{Core.Uses.Count} namespaces read");
    }

    [Fact]
    public void A_cycle_through_three_namespaces_is_found_and_a_chain_beside_it_is_not()
    {
        var graph = NamespaceGraph.Of([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D"), ("D", "E")]);

        var cycle = Assert.Single(graph.Cycles());

        Assert.Equal(["A", "B", "C"], cycle);
        Assert.Equal("A → B; B → C; C → A", graph.Describe(cycle));
    }
}
