using System.Text;
using System.Text.Json.Nodes;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Workload;

/// <summary>Writes the value bytes of the built-in poison records: ones Kafka Connect's <c>JsonConverter</c> (with <c>schemas.enable=true</c>) cannot convert, or ones it converts and the constrained target refuses (see <see cref="TargetPoison"/>).</summary>
internal static class PoisonValue
{
    /// <summary>Writes the bytes that replace <paramref name="record"/> as a poison record of the given kind.</summary>
    /// <param name="record">The well-formed record the poison replaces; the poison keeps its event id, key and version.</param>
    /// <param name="kind">How the record is malformed; <see cref="PoisonKind.Custom"/> brings its own bytes and is refused here.</param>
    /// <param name="workload">The workload, for its format, schema name and payload size.</param>
    /// <returns>The value bytes.</returns>
    public static byte[] Encode(WorkloadRecord record, PoisonKind kind, ScenarioWorkload workload) => kind switch
    {
        // The schema still says int64 for version, the payload carries text: a producer changed the field's type.
        PoisonKind.TypeChange => TypeChanged(record, workload),

        // The fields without Connect's envelope, which a converter with schemas.enable=true refuses.
        PoisonKind.MissingEnvelope => Fields(record, workload, RecordFormat.PlainJson, record.Payload, record.Sequence),

        // Not UTF-8 from the first byte, so no converter reads it; the event id after it lets a dead letter without headers be matched.
        PoisonKind.GarbageBytes => [0xFF, 0xFE, 0x00, 0x7B, 0x22, 0xC3, 0x28, 0x13, 0x37, .. Encoding.ASCII.GetBytes(" " + record.EventId)],
        PoisonKind.TooLongForColumn => Fields(record, workload, workload.Format, new string('x', TargetPoison.PayloadLimit(workload) + 1), record.Sequence),
        PoisonKind.NullInNotNullColumn => Fields(record, workload, workload.Format, payload: null, record.Sequence),
        PoisonKind.OutOfRangeNumber => Fields(record, workload, workload.Format, record.Payload, TargetPoison.OutOfRangeSeq + record.Sequence),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No built-in bytes for this poison kind; a Custom poison record brings its own Value."),
    };

    private static byte[] Fields(WorkloadRecord record, ScenarioWorkload workload, RecordFormat format, string? payload, long seq) =>
        WorkloadGenerator.Encode(format, workload.SchemaName, record.EventId, record.Key, record.Version, seq, payload);

    private static byte[] TypeChanged(WorkloadRecord record, ScenarioWorkload workload)
    {
        var envelope = JsonNode.Parse(Fields(record, workload, RecordFormat.JsonEnvelope, record.Payload, record.Sequence))!;
        envelope["payload"]!["version"] = "v" + record.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }
}
