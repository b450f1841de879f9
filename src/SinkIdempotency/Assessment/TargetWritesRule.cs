using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Assessment;

/// <summary>Grades whether a connector gives every record a stable identity at the target that survived the failure matrix (the target-writes row).</summary>
/// <remarks>
/// <para>The identity is read from the connector configuration: an upsert keyed by the Kafka coordinates or the record's key or value
/// (<c>insert.mode=upsert</c> with <c>pk.mode</c> <c>kafka</c>, <c>record_key</c> or <c>record_value</c>), an idempotency key
/// (<c>idempotency.key</c>), or deterministic file names (a storage sink whose files are named by topic, partition and start offset and
/// not rotated on the wall clock: no <c>rotate.schedule.interval.ms</c>).</para>
/// <para>Red when any run duplicated a record at the target (correctness then depends on cleanup after retries); green when the identity is
/// declared and no run duplicated; yellow when no run duplicated but the configuration names no identity this rule recognizes.</para>
/// </remarks>
public static class TargetWritesRule
{
    /// <summary>Grades one connector.</summary>
    /// <param name="connector">The connector (scorecard column).</param>
    /// <param name="config">The connector's configuration.</param>
    /// <param name="runs">The connector's runs.</param>
    /// <returns>The graded row.</returns>
    public static AssessmentRow Evaluate(string connector, IReadOnlyDictionary<string, string> config, IReadOnlyList<AssessedRun> runs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(runs);
        var reconciled = runs.Where(r => r.Result?.Report is not null).ToList();
        var duplicated = reconciled
            .Select(r => (Run: r, Count: r.Result!.Report![AnomalyKind.Duplicated].Count))
            .Where(d => d.Count > 0)
            .ToList();
        var figures = new List<AssessmentFigure>
        {
            new("reconciledRuns", reconciled.Count, "scenarios"),
            new("runsWithDuplicates", duplicated.Count, "scenarios"),
            new("duplicatedRecords", duplicated.Sum(d => d.Count), "records"),
        };
        var identity = Identity(config);
        if (duplicated.Count > 0)
        {
            return Row(connector, AssessmentStatus.Red, $"The target duplicated records under retry ({string.Join(", ", duplicated.Select(d => $"{d.Run.Scenario.Name} [{d.Run.Scenario.Fault?.Name ?? "none"}]: {d.Count}"))}){(identity is null ? string.Empty : $" despite {identity}")}: correctness depends on cleanup after retries.", figures);
        }

        if (reconciled.Count == 0)
        {
            return Row(connector, AssessmentStatus.NotAssessed, "Target writes not assessed: no run of this connector reached a reconciliation.", figures);
        }

        return identity is null
            ? Row(connector, AssessmentStatus.Yellow, $"No run duplicated a record ({reconciled.Count} reconciled), but the configuration declares no stable identity this tool recognizes (upsert with pk.mode kafka/record_key/record_value, idempotency.key, deterministic file names); say in the remediation how duplicates stay impossible.", figures)
            : Row(connector, AssessmentStatus.Green, $"Every record has a stable identity ({identity}) and none was duplicated in {reconciled.Count} reconciled run(s).", figures);
    }

    /// <summary>Names the stable identity a connector configuration declares, or <see langword="null"/> when it declares none this rule recognizes.</summary>
    /// <param name="config">The connector configuration.</param>
    /// <returns>E.g. <c>upsert on pk.mode=record_key</c>.</returns>
    public static string? Identity(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? Get(string key) => config.TryGetValue(key, out var value) ? value.Trim() : null;
        var mode = Get("insert.mode")?.ToLowerInvariant();
        var pk = Get("pk.mode")?.ToLowerInvariant();
        if (mode == "upsert" && pk is "kafka" or "record_key" or "record_value")
        {
            return $"upsert on pk.mode={pk}";
        }

        if (Get("idempotency.key") is { Length: > 0 } key)
        {
            return $"idempotency key {key}";
        }

        var connectorClass = Get("connector.class") ?? string.Empty;
        var storage = connectorClass.EndsWith("S3SinkConnector", StringComparison.Ordinal)
            || connectorClass.EndsWith("GcsSinkConnector", StringComparison.Ordinal)
            || connectorClass.EndsWith("AzureBlobStorageSinkConnector", StringComparison.Ordinal)
            || connectorClass.EndsWith("HdfsSinkConnector", StringComparison.Ordinal);
        return storage && Get("rotate.schedule.interval.ms") is null
            ? "deterministic file names (topic, partition, start offset)"
            : null;
    }

    private static AssessmentRow Row(string connector, AssessmentStatus status, string summary, IReadOnlyList<AssessmentFigure> figures) =>
        new(AssessmentArea.TargetWrites, connector, status, summary, figures);
}
