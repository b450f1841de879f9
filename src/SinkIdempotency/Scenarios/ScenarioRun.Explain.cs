using System.Globalization;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Scenarios;

/// <content>Names what the reconciliation alone cannot say: a sink that wrote none of the records, and the connector settings known to cause the anomalies found.</content>
internal sealed partial class ScenarioRun
{
    // Adds a reason per finding, so the headline of a red run says why and not only how many.
    private void ExplainAnomalies(ReconciliationReport report, ScenarioOutcome outcome)
    {
        if (report.InTarget == 0 && report.Produced > 0)
        {
            var committedPast = report.Partitions.Sum(p => p.CommittedPast);
            _reasons.Add(outcome == ScenarioOutcome.WindowNeverOpened
                ? $"The sink wrote nothing to the target ({report.Produced} record(s) produced, none present): a broken pipeline, not a sink without a crash window."
                : committedPast > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"None of the {report.Produced} record(s) reached the target ({report.TargetRows} row(s) read), yet the group committed past {committedPast} of them: the sink acknowledged records it never wrote.")
                    : string.Create(CultureInfo.InvariantCulture, $"None of the {report.Produced} record(s) reached the target ({report.TargetRows} row(s) read), and the group committed past none of them."));
        }

        var lostOrUnseen = report[AnomalyKind.Lost].Count + report[AnomalyKind.Unseen].Count;
        if (report[AnomalyKind.Lost].Count > 0 && Setting("insert.mode") == "update")
        {
            _reasons.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"insert.mode=update only changes rows that already exist: a record whose row is missing updates nothing, without an error, and its offset is committed ({report[AnomalyKind.Lost].Count} record(s) lost). Use insert.mode=upsert, or load the rows first."));
        }

        if (report[AnomalyKind.SilentlyDropped].Count > 0 && Setting("errors.tolerance") == "all" && string.IsNullOrEmpty(_deadLetterTopic))
        {
            _reasons.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"errors.tolerance=all without errors.deadletterqueue.topic.name: Connect skips a record it cannot convert or transform and commits past it, leaving no trace ({report[AnomalyKind.SilentlyDropped].Count} record(s) silently dropped). Set a dead-letter topic."));
        }

        if (lostOrUnseen > 0 && Setting("consumer.override.auto.offset.reset") is "latest" or "largest" or "end")
        {
            _reasons.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"consumer.override.auto.offset.reset={Setting("consumer.override.auto.offset.reset")}: a partition without a committed offset starts at the log end, so records produced before the sink's first commit there are skipped ({lostOrUnseen} record(s) lost or unseen)."));
        }
    }

    private string? Setting(string key) =>
        _config.TryGetValue(key, out var value) ? value.Trim().ToLowerInvariant() : null;
}
