using System.Globalization;
using System.Text;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Scenarios;

/// <summary>Reports how one scenario run ended: the verdict, the reconciliation behind it, the fault's outcome and the evidence.</summary>
public sealed record ScenarioResult
{
    /// <summary>Gets the scenario name.</summary>
    /// <value>The name the scenario was given.</value>
    public required string Scenario { get; init; }

    /// <summary>Gets the run id that prefixes every resource of the run.</summary>
    /// <value>Lowercase letters and digits.</value>
    public required string RunId { get; init; }

    /// <summary>Gets the environment name.</summary>
    /// <value>For example <c>embedded</c>.</value>
    public required string Environment { get; init; }

    /// <summary>Gets the fault's report name, or <c>none</c>.</summary>
    /// <value>For example <c>crash-after-target-write</c>.</value>
    public required string Fault { get; init; }

    /// <summary>Gets the declared semantics.</summary>
    /// <value>The scenario's semantics.</value>
    public required DeclaredSemantics Semantics { get; init; }

    /// <summary>Gets how the run ended.</summary>
    /// <value>See <see cref="ScenarioOutcome"/>.</value>
    public required ScenarioOutcome Outcome { get; init; }

    /// <summary>Gets the verdict, or <see langword="null"/> when the scenario was skipped (a skip is never a pass).</summary>
    /// <value>Red for a forbidden anomaly, no convergence, a fault that was not injected, or a failed task that none of the scenario's poison records explains; otherwise the reconciliation's verdict.</value>
    public required Verdict? Verdict { get; init; }

    /// <summary>Gets the sentences that explain the verdict beyond the anomalies and <see cref="TaskFailures"/> (no convergence, fault not injected, unseen records with no proven cause, a sink that wrote nothing), and caveats about how the fault landed.</summary>
    /// <value>Empty when the anomalies alone decide the verdict.</value>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Gets every task the Connect status API reported failed during the run, each with its trace and whether one of the scenario's poison records explains it.</summary>
    /// <value>Empty when no task failed. A failure not <see cref="TaskFailure.CausedByPoison"/> makes the verdict red.</value>
    public IReadOnlyList<TaskFailure> TaskFailures { get; init; } = [];

    /// <summary>Gets what disturbed the run without changing its verdict, for example a rebalance of the sink's consumer group that no harness action explains.</summary>
    /// <value>Empty when nothing did.</value>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets why the scenario was skipped, or <see langword="null"/>.</summary>
    /// <value>Set only when <see cref="Outcome"/> is <see cref="ScenarioOutcome.Skipped"/>.</value>
    public string? SkipReason { get; init; }

    /// <summary>Gets the fault's own account of what it did, or <see langword="null"/> without a fault.</summary>
    /// <value>A sentence.</value>
    public string? FaultDetail { get; init; }

    /// <summary>Gets the finding that stands in for a fault whose window never opened, or <see langword="null"/>.</summary>
    /// <value>Set when <see cref="Outcome"/> is <see cref="ScenarioOutcome.WindowNeverOpened"/>, for example <c>no commit ran ahead of the target in 1000 records</c>.</value>
    public string? Finding { get; init; }

    /// <summary>Gets the final reconciliation, or <see langword="null"/> when the scenario was skipped.</summary>
    /// <value>The report the verdict is based on.</value>
    public ReconciliationReport? Report { get; init; }

    /// <summary>Gets the reconciliation made before a fault that acts on a settled pipeline (<see cref="Faults.Replay"/>), or <see langword="null"/>.</summary>
    /// <value>The first pass's report.</value>
    public ReconciliationReport? ReportBeforeFault { get; init; }

    /// <summary>Gets the crash window at the moment a worker was killed, or <see langword="null"/> when no worker was killed in a window.</summary>
    /// <value>The window recorded by the fault.</value>
    public CrashWindow? CrashWindow { get; init; }

    /// <summary>Gets the timeline of everything observed.</summary>
    /// <value>The run's evidence.</value>
    public required EvidenceTimeline Evidence { get; init; }

    /// <summary>Gets the path of the evidence JSON file, or <see langword="null"/> when none was written.</summary>
    /// <value>A file path.</value>
    public string? EvidencePath { get; init; }

    /// <summary>Gets the path of the reconciliation report JSON file, or <see langword="null"/> when none was written.</summary>
    /// <value>A file path.</value>
    public string? ReportPath { get; init; }

    /// <summary>Gets what went wrong while removing the run's resources; empty when cleanup succeeded.</summary>
    /// <value>One sentence per failed step.</value>
    public IReadOnlyList<string> CleanupErrors { get; init; } = [];

    /// <summary>Gets how long the run took, cleanup included.</summary>
    /// <value>Wall time.</value>
    public required TimeSpan Duration { get; init; }

    /// <summary>Writes a short, human summary: verdict, headline numbers, anomalies with one example each, reasons, warnings and files.</summary>
    /// <returns>A few lines of text.</returns>
    public string Summarize()
    {
        var text = new StringBuilder();
        var verdict = Verdict is { } v ? v.ToName().ToUpperInvariant() : "SKIPPED";
        text.Append(CultureInfo.InvariantCulture, $"{Scenario} [{Fault}] on {Environment}: {verdict} (declared {Semantics.ToName()}, {Outcome}, {Duration.TotalSeconds:0.0} s, run {RunId})");
        text.AppendLine();
        if (SkipReason is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  skipped: {SkipReason}");
        }

        if (FaultDetail is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  fault: {FaultDetail}");
        }

        if (Finding is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  finding: {Finding}");
        }

        if (Report is { } report)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  produced {report.Produced}, target rows {report.TargetRows}, in target {report.InTarget}, superseded {report.Superseded}, dead letters {report.DeadLetterRecords}");
            foreach (var anomaly in report.Anomalies.Where(a => a.Count > 0))
            {
                var example = anomaly.Examples.Count > 0 ? $" e.g. {FormatExample(anomaly.Examples[0])}" : string.Empty;
                text.AppendLine(CultureInfo.InvariantCulture, $"  {anomaly.Kind.ToName()}: {anomaly.Count} ({(anomaly.Allowed ? "allowed" : "forbidden")}){example}");
            }
        }

        foreach (var failure in TaskFailures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  task {failure.Task} failed ({(failure.CausedByPoison ? "stopped by a poison record" : "not explained by the scenario")}: {failure.Attribution}):");
            foreach (var line in failure.Headlines)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {line}");
            }
        }

        foreach (var reason in Reasons)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  reason: {reason}");
        }

        foreach (var warning in Warnings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  warning: {warning}");
        }

        foreach (var error in CleanupErrors)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  cleanup: {error}");
        }

        if (EvidencePath is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  evidence: {EvidencePath}");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Formats one anomaly example as <c>event e-7 at topic-0@7 key k7: detail</c>.</summary>
    /// <param name="example">The example.</param>
    /// <returns>One line.</returns>
    public static string FormatExample(AnomalyExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var text = new StringBuilder();
        text.Append(example.EventId is null ? "row without event id" : $"event {example.EventId}");
        if (example.Topic is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" at {example.Topic}-{example.Partition?.ToString(CultureInfo.InvariantCulture) ?? "?"}@{example.Offset?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
        }

        if (example.Key is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" key {example.Key}");
        }

        return text.Append(CultureInfo.InvariantCulture, $": {example.Detail}").ToString();
    }
}
