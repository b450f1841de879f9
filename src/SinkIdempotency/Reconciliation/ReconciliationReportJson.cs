using System.Buffers;
using System.Text;
using System.Text.Json;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Reconciliation;

/// <summary>Writes a <see cref="ReconciliationReport"/> as JSON in the stable, documented schema version 1.</summary>
/// <remarks>
/// Schema version 1 (names are camelCase; anomaly, verdict and semantics values are the kebab-case report names;
/// 64-bit checksums are 16 hex digits in strings so JavaScript readers keep every bit):
/// <code>
/// {
///   "schemaVersion": 1,
///   "semantics": "exactly-once-effect" | "at-least-once" | "upsert-by-key",
///   "verdict": "green" | "yellow" | "red",
///   "generatedAt": "2026-01-01T00:00:00+00:00",
///   "target": "PostgreSQL table \"public\".\"orders\"",
///   "forbiddenAnomalies": ["lost", ...],      // kinds present that the claim forbids
///   "allowedAnomalies": ["unseen", ...],      // kinds present that the claim allows
///   "counts": { "produced", "targetRows", "inTarget", "superseded", "deadLetterRecords", "unmatchedDeadLetters" },
///   "targetChecksum": "0123456789abcdef",
///   "anomalies": {                            // all seven kinds, always present, in this order
///     "lost" | "duplicated" | "unexpected" | "stale" | "unseen" | "dead-lettered" | "silently-dropped": {
///       "count": 0, "extraRows": 0, "allowed": false,
///       "examples": [ { "topic", "partition", "offset", "key", "eventId", "detail" } ]   // null when unknown
///     }
///   },
///   "partitions": [ { "topic", "partition", "produced", "committedOffset" (null when none), "committedPast",
///                     "inTarget", "superseded", "committedChecksum", "committedInTargetChecksum",
///                     "anomalies": { "lost": 3, ... } } ]   // only kinds that occurred in the partition
/// }
/// </code>
/// New fields may be added in a later version; existing ones keep their names and meaning until the version changes.
/// </remarks>
public static class ReconciliationReportJson
{
    /// <summary>The schema version written in <c>schemaVersion</c>.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Serialises a report to indented UTF-8 JSON.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON bytes.</returns>
    public static byte[] ToUtf8Bytes(ReconciliationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, report);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serialises a report to an indented JSON string.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(ReconciliationReport report) => Encoding.UTF8.GetString(ToUtf8Bytes(report));

    /// <summary>Writes a report to a stream as indented UTF-8 JSON.</summary>
    /// <param name="report">The report.</param>
    /// <param name="destination">The stream; it stays open.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the JSON is written.</returns>
    public static async Task WriteAsync(ReconciliationReport report, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await destination.WriteAsync(ToUtf8Bytes(report), cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a report as one JSON object to a writer, for embedding it in a larger document.</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="report">The report.</param>
    public static void Write(Utf8JsonWriter writer, ReconciliationReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", SchemaVersion);
        writer.WriteString("semantics", report.Semantics.ToName());
        writer.WriteString("verdict", report.Verdict.ToName());
        writer.WriteString("generatedAt", report.GeneratedAt);
        writer.WriteString("target", report.Target);
        WriteKinds(writer, "forbiddenAnomalies", report.ForbiddenAnomalies);
        WriteKinds(writer, "allowedAnomalies", report.AllowedAnomalies);
        writer.WriteStartObject("counts");
        writer.WriteNumber("produced", report.Produced);
        writer.WriteNumber("targetRows", report.TargetRows);
        writer.WriteNumber("inTarget", report.InTarget);
        writer.WriteNumber("superseded", report.Superseded);
        writer.WriteNumber("deadLetterRecords", report.DeadLetterRecords);
        writer.WriteNumber("unmatchedDeadLetters", report.UnmatchedDeadLetters);
        writer.WriteEndObject();
        writer.WriteString("targetChecksum", ValueHash.Format(report.TargetChecksum));
        writer.WriteStartObject("anomalies");
        foreach (var anomaly in report.Anomalies)
        {
            writer.WriteStartObject(anomaly.Kind.ToName());
            writer.WriteNumber("count", anomaly.Count);
            writer.WriteNumber("extraRows", anomaly.ExtraRows);
            writer.WriteBoolean("allowed", anomaly.Allowed);
            writer.WriteStartArray("examples");
            foreach (var example in anomaly.Examples)
            {
                WriteExample(writer, example);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartArray("partitions");
        foreach (var partition in report.Partitions)
        {
            WritePartition(writer, partition);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteKinds(Utf8JsonWriter writer, string name, IReadOnlyList<AnomalyKind> kinds)
    {
        writer.WriteStartArray(name);
        foreach (var kind in kinds)
        {
            writer.WriteStringValue(kind.ToName());
        }

        writer.WriteEndArray();
    }

    private static void WriteExample(Utf8JsonWriter writer, AnomalyExample example)
    {
        writer.WriteStartObject();
        WriteNullable(writer, "topic", example.Topic);
        WriteNullable(writer, "partition", example.Partition);
        WriteNullable(writer, "offset", example.Offset);
        WriteNullable(writer, "key", example.Key);
        WriteNullable(writer, "eventId", example.EventId);
        writer.WriteString("detail", example.Detail);
        writer.WriteEndObject();
    }

    private static void WritePartition(Utf8JsonWriter writer, PartitionFigures partition)
    {
        writer.WriteStartObject();
        writer.WriteString("topic", partition.Topic);
        writer.WriteNumber("partition", partition.Partition);
        writer.WriteNumber("produced", partition.Produced);
        WriteNullable(writer, "committedOffset", partition.CommittedOffset);
        writer.WriteNumber("committedPast", partition.CommittedPast);
        writer.WriteNumber("inTarget", partition.InTarget);
        writer.WriteNumber("superseded", partition.Superseded);
        writer.WriteString("committedChecksum", ValueHash.Format(partition.CommittedChecksum));
        writer.WriteString("committedInTargetChecksum", ValueHash.Format(partition.CommittedInTargetChecksum));
        writer.WriteStartObject("anomalies");
        foreach (var kind in Enum.GetValues<AnomalyKind>())
        {
            if (partition.AnomalyCounts.TryGetValue(kind, out var count))
            {
                writer.WriteNumber(kind.ToName(), count);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
