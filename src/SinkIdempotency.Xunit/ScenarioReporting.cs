using System.Globalization;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using Xunit;

namespace SinkIdempotency.Xunit;

/// <summary>Publishes a scenario result to the running xUnit test: a summary in the test output, the evidence and report as attachments, a warning for yellow.</summary>
public static class ScenarioReporting
{
    /// <summary>Publishes a result to <see cref="TestContext.Current"/>; does nothing outside a test.</summary>
    /// <param name="result">The result.</param>
    public static void Publish(ScenarioResult result) => Publish(result, TestContext.Current);

    /// <summary>Publishes a result to a test context.</summary>
    /// <param name="result">The result.</param>
    /// <param name="context">The test context.</param>
    public static void Publish(ScenarioResult result, ITestContext context)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        context.TestOutputHelper?.WriteLine(result.Summarize());
        if (context.Test is null)
        {
            return;
        }

        var prefix = string.Create(CultureInfo.InvariantCulture, $"{result.Scenario}-{result.RunId}");
        if (result.EvidencePath is not null && File.Exists(result.EvidencePath))
        {
            context.AddAttachment($"{prefix}-evidence.json", File.ReadAllBytes(result.EvidencePath), replaceExistingValue: true, "application/json");
        }

        if (result.ReportPath is not null && File.Exists(result.ReportPath))
        {
            context.AddAttachment($"{prefix}-report.json", File.ReadAllBytes(result.ReportPath), replaceExistingValue: true, "application/json");
        }

        context.AddAttachment($"{prefix}-summary.txt", result.Summarize(), replaceExistingValue: true);
        if (result.Verdict == Verdict.Yellow)
        {
            var allowed = result.Report?.AllowedAnomalies.Select(k => $"{result.Report[k].Count} {k.ToName()}") ?? [];
            context.AddWarning($"{result.Scenario} is yellow: only allowed anomalies ({string.Join(", ", allowed)}).");
        }
    }
}
