using System.Globalization;
using SinkIdempotency.Connect;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <content>Keeps every task failure the status API reported, attributes each to a poison record or not, and grades by them.</content>
internal sealed partial class ScenarioRun
{
    private readonly Dictionary<(int Task, string Trace), TaskFailure> _failures = [];
    private IReadOnlyDictionary<SourcePartition, long> _finalCommitted = new Dictionary<SourcePartition, long>();

    // Called under the timeline's lock by every observation of the connector, sampled or explicit, so a failure that a
    // later restart hides is still kept.
    private void RecordFailures(ConnectorSnapshot snapshot)
    {
        foreach (var task in snapshot.Tasks.Where(t => t.State == "FAILED"))
        {
            var trace = SecretRedactor.RedactText(task.Trace ?? "(the status API reported no trace)");
            if (trace.Length > TaskFailure.MaxTraceLength)
            {
                trace = trace[..TaskFailure.MaxTraceLength] + "\n\t... (cut)";
            }

            _failures.TryAdd((task.Task, trace), new TaskFailure { Task = task.Task, WorkerId = task.WorkerId, At = Now, Trace = trace });
        }
    }

    private List<TaskFailure> AttributeFailures(ReconciliationReport report)
    {
        List<TaskFailure> observed;
        lock (_timeline)
        {
            observed = [.. _failures.Values.OrderBy(f => f.At)];
        }

        var ledger = _ledger.Snapshot();
        var failures = observed.Select(f => TaskFailureAttribution.Attribute(f, _names.Topic, ledger, _finalCommitted, report.InTarget)).ToList();
        foreach (var failure in failures)
        {
            _timeline.Add(new TaskFailureEvidence
            {
                At = failure.At,
                Step = _step,
                Task = failure.Task,
                WorkerId = failure.WorkerId,
                Trace = failure.Trace,
                CausedByPoison = failure.CausedByPoison,
                Attribution = failure.Attribution,
            });
        }

        return failures;
    }

    // Unseen records are allowed only when the run proved why they were never written: every failed task was stopped
    // by one of the scenario's poison records. Anything else (a sink that writes nothing, a converter that cannot read a
    // single record) must not pass as "lag".
    private ReconciliationReport? ApplyUnseenRule(ReconciliationReport? report, ScenarioOutcome outcome, IReadOnlyList<TaskFailure> failures, bool explain)
    {
        if (report is null || report[AnomalyKind.Unseen].Count == 0)
        {
            return report;
        }

        var proven = outcome == ScenarioOutcome.StoppedByFailedTask && failures.Count > 0 && failures.All(f => f.CausedByPoison);
        if (proven)
        {
            return report;
        }

        var regraded = report.ForbidUnseen();
        if (explain && failures.Count == 0 && outcome != ScenarioOutcome.NoConvergence)
        {
            _reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{report[AnomalyKind.Unseen].Count} record(s) never reached the target and were never committed past, and no failed task or poison record explains why."));
        }

        return regraded;
    }
}
