using System.Globalization;
using System.Text;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Xunit;

/// <summary>Formats anomalies, reasons and evidence paths for assertion messages.</summary>
internal static class AnomalyText
{
    public const int MaxExamples = 5;

    /// <summary>Describes a scenario for the start of a message: <c>scenario "name" [fault]</c>.</summary>
    public static string Describe(ScenarioResult result) => $"scenario \"{result.Scenario}\" [{result.Fault}]";

    /// <summary>Lists everything that made the verdict what it is: outcome, anomalies with examples, reasons, evidence.</summary>
    public static string Details(ScenarioResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"  outcome: {result.Outcome}; declared {result.Semantics.ToName()}");
        if (result.SkipReason is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  skipped: {result.SkipReason}");
        }

        if (result.Report is { } report)
        {
            foreach (var anomaly in report.Anomalies.Where(a => a.Count > 0))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  {anomaly.Kind.ToName()}: {Count(anomaly)} ({(anomaly.Allowed ? "allowed" : "forbidden")})");
                foreach (var example in anomaly.Examples.Take(MaxExamples))
                {
                    text.Append(CultureInfo.InvariantCulture, $"\n    {ScenarioResult.FormatExample(example)}");
                }
            }
        }

        foreach (var failure in result.TaskFailures)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  task {failure.Task} failed ({(failure.CausedByPoison ? "stopped by a poison record" : "not explained by the scenario")}: {failure.Attribution}):");
            foreach (var line in failure.Headlines)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n    {line}");
            }
        }

        foreach (var reason in result.Reasons)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  reason: {reason}");
        }

        if (result.EvidencePath is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  evidence: {result.EvidencePath}");
        }

        return text.ToString();
    }

    /// <summary>Lists up to five examples of an anomaly, one per line, after <c>, e.g.:</c>; a full stop when there are none.</summary>
    public static string ExampleLines(AnomalySummary anomaly)
    {
        if (anomaly.Examples.Count == 0)
        {
            return ".";
        }

        var text = new StringBuilder(", e.g.:");
        foreach (var example in anomaly.Examples.Take(MaxExamples))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n    {ScenarioResult.FormatExample(example)}");
        }

        return text.ToString();
    }

    public static string Count(AnomalySummary anomaly) =>
        anomaly.ExtraRows > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{anomaly.Count} ({anomaly.ExtraRows} extra rows)")
            : anomaly.Count.ToString(CultureInfo.InvariantCulture);

    /// <summary>Doubles braces so FluentAssertions does not read text from the system under test as placeholders.</summary>
    public static string Escape(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
}
