namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>
/// A variable scope. As in @huggingface/jinja, a for loop opens one scope for all its iterations, if blocks
/// open none, and a macro's scope sits on top of its caller's (dynamic scoping).
/// </summary>
internal sealed class JinjaEnvironment(JinjaEnvironment? parent)
{
    private readonly JinjaEnvironment? parent = parent;
    private readonly Dictionary<string, JinjaValue> variables = [];

    public void Set(string name, JinjaValue value) => variables[name] = value;

    public JinjaValue Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope.parent)
        {
            if (scope.variables.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return UndefinedValue.Instance;
    }
}
