using System.Text;
using System.Xml.Linq;
using AdaptLab.Core.Gates;

namespace AdaptLab.Core.Reports;

/// <summary>A gate's outcome for CI systems: JUnit XML (a test case per check) and a Markdown summary for a pull request.</summary>
public static class GateReports
{
    public static string JUnit(GateOutcome outcome)
    {
        var suites = outcome.Checks.GroupBy(c => c.Suite).Select(suite => new XElement("testsuite",
            new XAttribute("name", $"adaptlab.{outcome.Candidate.TaskName}.{suite.Key}"),
            new XAttribute("tests", suite.Count()),
            new XAttribute("failures", suite.Count(c => !c.Passed)),
            new XAttribute("errors", 0),
            suite.Select(c => new XElement("testcase",
                new XAttribute("classname", $"adaptlab.{outcome.Candidate.TaskName}.{suite.Key}"),
                new XAttribute("name", c.Name),
                c.Passed ? new XElement("system-out", c.Detail) : new XElement("failure", new XAttribute("message", c.Detail), c.Detail)))));
        var root = new XElement("testsuites",
            new XAttribute("name", "adaptlab gate"),
            new XAttribute("tests", outcome.Checks.Count),
            new XAttribute("failures", outcome.Checks.Count(c => !c.Passed)),
            suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root + "\n";
    }

    public static string Markdown(GateOutcome outcome)
    {
        var md = new StringBuilder();
        md.AppendLine($"## AdaptLab gate: {(outcome.Passed ? "passed" : "failed")}").AppendLine();
        md.AppendLine($"Run `{outcome.Candidate.Id}` of **{outcome.Candidate.TaskName}**" +
            (outcome.Baseline is { } b ? $" against `{b.Id}`{(outcome.BaselineLabel is { } l ? $" ({l})" : string.Empty)}" : ", targets only (no baseline)") + ".").AppendLine();
        md.AppendLine("| | check | detail |").AppendLine("|---|---|---|");
        foreach (var c in outcome.Checks)
        {
            md.AppendLine($"| {(c.Passed ? "pass" : "**FAIL**")} | {c.Name.Replace("|", "\\|", StringComparison.Ordinal)} | {c.Detail.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }

        return md.ToString();
    }
}
