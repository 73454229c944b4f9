namespace AdaptLab.Metrics.Tests.ToolCalls;

/// <summary>
/// The AST checker's rules one by one, as bfcl_eval/eval_checker/ast_eval/ast_checker.py applies them, each with a
/// case it must reject.
/// </summary>
public sealed class BfclRuleTests
{
    /// <summary>The reason tool_call_match gives (null: the calls match) for calls to f, whose parameters are the given JSON Schema properties.</summary>
    private static string? Judge(string properties, string expected, string calls, string required = "")
    {
        var tools = $$$"""[{"name": "f", "parameters": {"type": "dict", "properties": {{{properties}}}, "required": [{{{required}}}]}}]""";
        var item = new MetricItem(calls, [expected]) { Fields = new Dictionary<string, string> { ["tools"] = tools } };
        return MetricCatalog.Create("tool_call_match").Compute([item]).Reasons![0];
    }

    private static string Call(string arguments) => $$$"""[{"name": "f", "arguments": {{{arguments}}}}]""";

    [Fact]
    public void Strings_match_after_bfcls_standardisation_and_integers_are_accepted_for_floats()
    {
        const string properties = """{"city": {"type": "string"}, "x": {"type": "float"}, "tags": {"type": "array", "items": {"type": "string"}}}""";
        const string expected = """[{"f": {"city": ["New York, NY"], "x": [2.0, ""], "tags": [["Big-Apple", "east"], ""]}}]""";

        Assert.Null(Judge(properties, expected, Call("""{"city": "new york ny", "x": 2, "tags": ["big apple", "EAST"]}"""), "\"city\""));
        // Only ASCII spaces go: a no-break space stays (shown escaped, as it looks like a space).
        Assert.Contains("argument 'city' is \"new\\u00A0york ny\", not one of \"New York, NY\"", Judge(properties, expected, Call("""{"city": "new\u00a0york ny"}"""), "\"city\""));
        Assert.Contains("argument 'x' is 3, not one of 2.0", Judge(properties, expected, Call("""{"city": "New York, NY", "x": 3}"""), "\"city\""));
    }

    /// <summary>simple_python_307 types venue as a string and accepts only true (or no venue): BFCL's <c>is_variable</c>.</summary>
    [Fact]
    public void A_value_of_the_acceptable_values_own_type_passes_and_is_compared_exactly()
    {
        const string venue = """{"venue": {"type": "string"}}""";
        const string expected = """[{"f": {"venue": ["", true]}}]""";

        Assert.Null(Judge(venue, expected, Call("""{"venue": true}""")));
        Assert.Contains("argument 'venue' is \"true\" (string), not one of \"\" (may be omitted), true (boolean)", Judge(venue, expected, Call("""{"venue": "true"}""")));
        Assert.Contains("argument 'venue' should be string (or boolean, as the acceptable values are), not an integer", Judge(venue, expected, Call("""{"venue": 1}""")));

        // parallel_multiple_21's variable for an array matches as written, not standardised.
        const string x = """{"x": {"type": "array", "items": {"type": "float"}}}""";
        Assert.Null(Judge(x, """[{"f": {"x": ["data['sales']"]}}]""", Call("""{"x": "data['sales']"}""")));
        Assert.Contains("is \"Data['sales']\", not one of \"data['sales']\"", Judge(x, """[{"f": {"x": ["data['sales']"]}}]""", Call("""{"x": "Data['sales']"}""")));
    }

    /// <summary>parallel_152 accepts null for its float mod: null is the first acceptable value that is not "".</summary>
    [Fact]
    public void Null_passes_only_where_the_first_acceptable_value_is_null()
    {
        const string mod = """{"mod": {"type": "float"}}""";

        Assert.Null(Judge(mod, """[{"f": {"mod": ["", null]}}]""", Call("""{"mod": null}""")));
        Assert.Contains("argument 'mod' should be float, not null", Judge(mod, """[{"f": {"mod": ["", 2.0]}}]""", Call("""{"mod": null}""")));
        Assert.Contains("argument 'mod' should be float, not null", Judge(mod, """[{"f": {"mod": ["", 2.0, null]}}]""", Call("""{"mod": null}""")));
    }

    /// <summary>BFCL reads the optional marker "" as a list of its characters, none: so [] is acceptable.</summary>
    [Fact]
    public void An_empty_list_passes_where_the_list_may_be_omitted()
    {
        const string tags = """{"tags": {"type": "array", "items": {"type": "string"}}}""";

        Assert.Null(Judge(tags, """[{"f": {"tags": [["a"], ""]}}]""", Call("""{"tags": []}""")));
        Assert.Contains("argument 'tags' is [], not one of [\"a\"]", Judge(tags, """[{"f": {"tags": [["a"]]}}]""", Call("""{"tags": []}""")));
    }

    /// <summary>Python promotes an int argument to a float, but BFCL checks a list's items without that promotion.</summary>
    [Fact]
    public void Integer_items_of_a_float_array_pass_only_where_an_acceptable_list_allows_them()
    {
        const string xs = """{"xs": {"type": "array", "items": {"type": "float"}}}""";

        Assert.Contains(
            "argument 'xs' has an item 1 that is an integer, where the items should be float (acceptable: [1.0,2.0])",
            Judge(xs, """[{"f": {"xs": [[1.0, 2.0]]}}]""", Call("""{"xs": [1, 2]}""")));
        Assert.Null(Judge(xs, """[{"f": {"xs": [[1.0, 2.0]]}}]""", Call("""{"xs": [1.0, 2.0]}""")));
        // An acceptable list of integers lets integer items pass; so does "" among the acceptable values, after
        // which Python's 1 == 1.0 matches the list.
        Assert.Null(Judge(xs, """[{"f": {"xs": [[1, 2]]}}]""", Call("""{"xs": [1, 2]}""")));
        Assert.Null(Judge(xs, """[{"f": {"xs": [[1.0, 2.0], ""]}}]""", Call("""{"xs": [1, 2]}""")));
    }

    [Fact]
    public void Values_compare_with_pythons_equality_and_strings_standardise_one_level_deep()
    {
        const string n = """{"n": {"type": "integer"}}""";
        Assert.Null(Judge(n, """[{"f": {"n": [true]}}]""", Call("""{"n": 1}""")));
        Assert.Contains("argument 'n' is 2 (integer), not one of true (boolean)", Judge(n, """[{"f": {"n": [true]}}]""", Call("""{"n": 2}""")));

        const string rows = """{"rows": {"type": "array", "items": {"type": "array"}}}""";
        Assert.Null(Judge(rows, """[{"f": {"rows": [[["New York"]]]}}]""", Call("""{"rows": [["New York"]]}""")));
        Assert.Contains("is [[\"new york\"]], not one of [[\"New York\"]]", Judge(rows, """[{"f": {"rows": [[["New York"]]]}}]""", Call("""{"rows": [["new york"]]}""")));
    }

    /// <summary>Each expected call in turn takes the first call left that it accepts; BFCL does not backtrack.</summary>
    [Fact]
    public void Parallel_calls_pair_greedily_in_the_expected_order()
    {
        const string x = """{"x": {"type": "string"}}""";
        const string expected = """[{"f": {"x": ["a", "b"]}}, {"f": {"x": ["a"]}}]""";

        Assert.Null(Judge(x, expected, """[{"name": "f", "arguments": {"x": "b"}}, {"name": "f", "arguments": {"x": "a"}}]"""));
        Assert.Contains(
            "expected call 2 (f) matches no call left: f: argument 'x' is \"b\", not one of \"a\" (call 1 would match, but expected call 1 took it first",
            Judge(x, expected, """[{"name": "f", "arguments": {"x": "a"}}, {"name": "f", "arguments": {"x": "b"}}]"""));
    }

    [Fact]
    public void Reasons_show_the_acceptable_values_and_their_types_where_they_differ()
    {
        const string properties = """{"unit": {"type": "string"}, "x": {"type": "string"}}""";

        Assert.Contains("argument 'unit' is \"cm\", not one of \"\" (may be omitted)", Judge(properties, """[{"f": {"unit": [""]}}]""", Call("""{"unit": "cm"}""")));
        Assert.Contains(
            "argument 'x' should be string (or float, as the acceptable values are), not an integer: 1 (acceptable: 1.0 (float))",
            Judge(properties, """[{"f": {"x": [1.0]}}]""", Call("""{"x": 1}""")));
        Assert.Contains("missing argument 'x' (acceptable: \"a\" (string), 2 (integer))", Judge(properties, """[{"f": {"x": ["a", 2]}}]""", Call("{}")));
    }
}
