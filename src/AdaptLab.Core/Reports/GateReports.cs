using System.Xml.Linq;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Core.Reports;

/// <summary>A gate's outcome for CI systems: JUnit XML (a test case per check) and a Markdown summary for a pull request.</summary>
internal static class GateReports
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

    /// <summary>A summary for a pull request or a CI job's page (Templates/gate.md.liquid).</summary>
    public static string Markdown(GateOutcome outcome) => ReportTemplates.Render("gate.md", new GateMarkdown(
        outcome.Passed, outcome.Candidate.Id, outcome.Candidate.TaskName, outcome.Baseline?.Id, outcome.BaselineLabel, outcome.Checks));
}

/// <param name="Baseline">The baseline run's id; null when the gate checked targets only.</param>
internal sealed record GateMarkdown(bool Passed, string Run, string Task, string? Baseline, string? BaselineLabel, IReadOnlyList<GateCheck> Checks);
