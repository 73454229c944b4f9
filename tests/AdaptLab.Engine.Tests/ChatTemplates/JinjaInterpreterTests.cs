using AdaptLab.Engine.ChatTemplates.Jinja;

namespace AdaptLab.Engine.Tests.ChatTemplates;

/// <summary>
/// Each Jinja feature chat templates lean on, in small templates, rendered by our interpreter and by
/// @huggingface/jinja: the outputs (or the fact that both fail) must agree.
/// </summary>
public class JinjaInterpreterTests
{
    private static readonly string[] Templates =
    [
        "{% for x in items %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }}/{{ loop.revindex }};{% endfor %}",
        "{% set ns = namespace(count=0, seen=false) %}{% for x in items %}{% set ns.count = ns.count + x %}{% set ns.seen = true %}{% endfor %}{{ ns.count }} {{ ns.seen }}",
        "{{ 'a' ~ 1 ~ true }}|{{ 'b' + 2 }}|{{ 1.5 + 1 }}|{{ 3 / 2 }}|{{ 7 // 2 }}|{{ 7 % 3 }}|{{ -7 % 3 }}|{{ 2 ** 10 }}|{{ 1.0 }}|{{ 10 / 4 }}|{{ 2.0 * 3 }}|{{ 'x' + 1.0 }}",
        "{{ '  hi  ' | trim }}|{{ items | length }}|{{ 'AbC' | upper }}{{ 'AbC' | lower }}|{{ 'hello world' | title }}|{{ 'hello' | capitalize }}",
        "{{ obj | tojson }}|{{ items | tojson }}|{{ 'x\"y\\n' | tojson }}|{{ obj | tojson(indent=2) }}|{{ obj | tojson(sort_keys=true) }}|{{ obj }}|{{ items }}",
        "{{ undefined_var is defined }}{{ none is none }}{{ 'a' is string }}{{ 1 is number }}{{ 1.5 is integer }}{{ obj is mapping }}{{ items is iterable }}{{ 3 is odd }}{{ 4 is even }}{{ undefined_var is undefined }}{{ obj.d.e is none }}",
        "{{ raise_exception('bad ' ~ 1) }}",
        "{{ items[1:] }}{{ items[::-1] }}{{ items[-1] }}{{ items[1:3] }}{{ items[:-1] }}{{ items[::2] }}{{ 'hello'[1:3] }}{{ 'hello'[::-1] }}{{ 'abc'[0] }}{{ 'abc'[-1] }}{{ items[10] }}",
        "{{ 'a,b,,c'.split(',') }}{{ ' a  b '.split() }}{{ 'a b c'.split(' ', 1) }}{{ 'Hello'.startswith('He') }}{{ 'Hello'.endswith(('x', 'lo')) }}{{ 'x</think>y'.split('</think>')[-1] }}[{{ '\n\nx\n'.strip('\n') }}][{{ '  x '.lstrip() }}][{{ ' x  '.rstrip() }}]{{ 'aaa'.replace('a', 'b', 2) }}{{ 'ab'.replace('', '-') }}{{ 'Hi'.upper() }}{{ 'abc'.length }}",
        "{% if x > 2 %}big{% elif x == 2 %}two{% else %}small{% endif %}{{ 'y' if x else 'n' }}{{ 'z' if not x else 'w' }}{{ x if false }}",
        "  {%- if true -%}  a  {%- endif -%}  \n b\n  {% if true %}\n c\n  {% endif %}\n    {{ x }}  \n{# note #}\nd\n",
        "{% for k, v in obj.items() %}{{ k }}={{ v }};{% endfor %}{{ obj.get('missing', 'd') }}{{ obj.get('a') }}{{ obj['a'] }}{{ obj.b }}{{ obj.keys() }}{{ obj | length }}{{ obj.c[1] }}",
        "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('Bob') }} {{ greet('Al', punct='?') }} {{ greet('Cy', '.') }}",
        "{{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='content') | join(', ') }}|{{ msgs | rejectattr('role', 'equalto', 'user') | list | length }}|{{ (msgs | selectattr('role', 'equalto', 'user') | list)[-1].content }}",
        "{% for x in [] %}x{% else %}empty{% endfor %}{% for x in items %}{% if x > 2 %}{% break %}{% endif %}{{ x }}{% endfor %}{% for x in items %}{% if x == 2 %}{% continue %}{% endif %}{{ x }}{% endfor %}",
        "a{# comment #}b {#- trimmed -#}  c",
        "{% for x in items if x is odd %}{{ x }}{{ loop.index }}{% endfor %}",
        "{{ '' == false }}{{ 1 == true }}{{ '1' == 1 }}{{ none == undefined_var }}{{ 'a' != 'b' }}{{ msgs[0] == msgs[0] }}{{ msgs[0] == msgs[1] }}{{ 1 == 1.0 }}",
        "{{ undefined_var | default('d') }}{{ '' | default('e', true) }}{{ 'f' | default('g') }}",
        "{% set x %}inner {{ 1 }}{% endset %}[{{ x }}]{% set a, b = [1, 2] %}{{ a }}{{ b }}",
        "{{ \"a\\tb\\u0041\\x42\" }}{{ 'it\\'s' }}{{ 'con' 'cat' }}",
        "{{ 'a' in 'abc' }}{{ 2 in items }}{{ 'a' in obj }}{{ 'z' not in obj }}{{ 5 not in items }}{{ 'q' in undefined_var }}",
        "{{ items | first }}{{ items | last }}{{ items | reverse | list }}{{ [3, 1, 2] | sort }}{{ [1, 1, 2] | unique | list }}{{ ['b', 'A', 'c'] | sort }}{{ items | join('-') }}",
        "{{ '42abc' | int }}{{ 3.7 | int }}{{ '2.5' | float }}{{ 3 | string }}{{ true | int }}{{ 'x' | int(7) }}{{ -3 | abs }}",
        "{{ obj.s }}|{{ obj.s | tojson }}|{{ [obj.d, none, true, 1.5] | tojson }}|{{ {'k': 'v', 'n': [1, {'m': none}]} | tojson }}",
        "{% set x = 1 %}{% for i in items %}{% set x = x + i %}{{ x }},{% endfor %}{{ x }}",
        "{{ range(3) }}{{ range(1, 7, 2) | list }}{% for i in range(2) %}{{ i }}{% endfor %}",
        "{{ 'a' < 'b' }}",
        "{{ undefined_var.attr }}{{ undefined_var + 1 }}",
        "{{ 'x' | indent(2) }}{{ 'l1\nl2\n\nl3' | indent(2, true) }}|{{ 'l1\nl2' | indent }}",
        "{{ not x }}{{ not not x }}{{ x and 'y' }}{{ 0 or 'z' }}{{ [] or 'empty' }}{{ -x }}{{ - 1 }}{{ (1, 2) }}",
        "{% if messages[0]['role'] == 'system' %}{{ messages[0]['content'] | trim }}{% endif %}{% for m in messages[1:] %}{{ m.role | upper }}{% endfor %}",
    ];

    // dictsort, {% filter %} blocks and '+' between a string and a list (JavaScript's toString of the list).
    private static readonly string[] LaterFeatures =
    [
        "{{ 'a' + [1] }}|{{ [1] + 'a' }}|{{ 'a' + [1, 'b'] }}|{{ 'a' + [1.0, 1.5, true, none, undefined_var, 'q\"', {'k': 1}, [1.5, 's', none]] }}|{{ 'a' + [] }}|{{ '' + [[]] }}|{{ 'a' + (1, 2) }}",
        "{{ 'a' + {'k': 1} }}|{{ 'a' ~ [1, 2] }}|{{ 'a' ~ {'k': 1} }}|{{ [[1, 2], [3]] | join('|') }}|{{ [{'a': 1}] | join }}{% set ns = namespace(x=1) %}|{{ 'a' + ns }}",
        "{{ 1 + [1] }}",
        "{% for k, v in d | dictsort %}{{ k }}={{ v }};{% endfor %}|{{ d | dictsort }}|{{ d.dictsort() }}|{{ d | dictsort(true) }}",
        "{% for k, v in d | dictsort(reverse=true) %}{{ k }};{% endfor %}|{{ d | dictsort(by='value') }}|{{ d | dictsort(by='value', reverse=true) }}|{{ d | dictsort(false, 'key', true) }}",
        "{{ mixed | dictsort(by='value') }}",
        "{{ d | dictsort(by='x') }}",
        "{% filter upper %}hello {{ x }}{% for i in items %}a{{ i }}{% endfor %}{% endfilter %}|{% filter indent(2) %}a\nb{% endfilter %}|{% filter replace('a', 'b') %}banana{% endfilter %}",
        "{% filter length %}abc{% endfilter %}|{% filter tojson %}a\"b{% endfilter %}|{% filter default('z') %}{% endfilter %}|{% set y %}{% filter trim %}  in  {% endfilter %}{% endset %}[{{ y }}]",
        "{% filter trim | upper %}  hi  {% endfilter %}",
        "{% filter upper() %}x{% endfilter %}",
        "{% filter frobnicate %}x{% endfilter %}",
        "{% filter upper %}x",
    ];

    private static readonly Dictionary<string, object?> Variables = new()
    {
        ["items"] = new[] { 1, 2, 3, 4 },
        ["obj"] = new Dictionary<string, object?>
        {
            ["a"] = 1,
            ["b"] = "two",
            ["c"] = new[] { 1, 2 },
            ["d"] = new Dictionary<string, object?> { ["e"] = null },
            ["s"] = "line\nbreak \"q\" ü \u0001 \t tab",
        },
        ["x"] = 2,
        ["d"] = new Dictionary<string, object?> { ["b"] = 2, ["A"] = 3, ["a"] = 1, ["c"] = 0 },
        ["mixed"] = new Dictionary<string, object?> { ["x"] = 1, ["y"] = "s" },
        ["msgs"] = new[]
        {
            new Dictionary<string, object?> { ["role"] = "user", ["content"] = "a" },
            new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = "b" },
            new Dictionary<string, object?> { ["role"] = "user", ["content"] = "c" },
        },
        ["messages"] = new[]
        {
            new Dictionary<string, object?> { ["role"] = "system", ["content"] = "  sys  " },
            new Dictionary<string, object?> { ["role"] = "user", ["content"] = "u" },
        },
    };

    [Fact]
    public void Each_feature_renders_like_huggingface_jinja() => AssertRendersLikeReference(Templates);

    [Fact]
    public void Dictsort_filter_blocks_and_string_plus_list_render_like_huggingface_jinja() => AssertRendersLikeReference(LaterFeatures);

    [Fact]
    public void Bad_templates_fail_with_format_exceptions_that_say_what_is_wrong()
    {
        Assert.Contains("call", Assert.Throws<FormatException>(() => JinjaTemplate.Parse("{% call foo() %}x{% endcall %}")).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => JinjaTemplate.Parse("{% if x %}unclosed"));
        Assert.Throws<FormatException>(() => JinjaTemplate.Parse("{{ 'unterminated }}"));
        Assert.Contains("frobnicate", Assert.Throws<FormatException>(() => JinjaTemplate.Parse("{{ x | frobnicate }}").Render(Variables)).Message, StringComparison.Ordinal);
    }

    private static void AssertRendersLikeReference(string[] templates)
    {
        var expected = JinjaReference.Render([.. templates.Select(t => (t, (IReadOnlyDictionary<string, object?>)Variables))]);

        var mismatches = new List<string>();
        for (var i = 0; i < templates.Length; i++)
        {
            string? actual;
            try
            {
                actual = JinjaTemplate.Parse(templates[i]).Render(Variables);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                actual = null;
            }

            if (actual != expected[i])
            {
                mismatches.Add($"{templates[i]}\n  expected {Show(expected[i])}\n  actual   {Show(actual)}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Contains(expected, e => e is null); // the failure cases did fail in the reference
    }

    private static string Show(string? text) => text is null ? "(error)" : System.Text.Json.JsonSerializer.Serialize(text);
}
