using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Workload;

/// <summary>Generates a deterministic workload: the same <see cref="ScenarioWorkload"/> always yields the same records, so a failing run can be replayed.</summary>
/// <remarks>
/// Each value has the fields <c>event_id</c> (string), <c>key</c> (string, optional), <c>version</c> (int64, optional),
/// <c>seq</c> (int64) and <c>payload</c> (string), either as plain JSON or inside Connect's JsonConverter envelope with a
/// struct schema of those fields. <see cref="ScenarioWorkload"/> says how event ids, keys, versions and payloads are chosen.
/// </remarks>
public sealed class WorkloadGenerator
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>Initializes a new instance of the <see cref="WorkloadGenerator"/> class.</summary>
    /// <param name="workload">The workload shape; validated here.</param>
    public WorkloadGenerator(ScenarioWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        workload.Validate();
        Workload = workload;
    }

    /// <summary>Gets the workload shape.</summary>
    public ScenarioWorkload Workload { get; }

    /// <summary>Generates the records in order; enumerating twice yields identical records.</summary>
    /// <returns>The records, lazily.</returns>
    public IEnumerable<WorkloadRecord> Generate()
    {
        var random = new Random(Workload.Seed);
        var versions = new long[Workload.Keys];
        var guid = new byte[16];
        var payload = new char[Workload.PayloadSize];
        for (long sequence = 0; sequence < Workload.Records; sequence++)
        {
            random.NextBytes(guid);
            var eventId = new Guid(guid).ToString("D");
            string? key = null;
            long? version = null;
            if (Workload.Keys > 0)
            {
                var k = random.Next(Workload.Keys);
                key = "key-" + k.ToString(CultureInfo.InvariantCulture);
                version = ++versions[k];
            }

            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] = Alphabet[random.Next(Alphabet.Length)];
            }

            var text = new string(payload);
            yield return new WorkloadRecord(
                sequence,
                eventId,
                key,
                version,
                text,
                key is null ? null : System.Text.Encoding.UTF8.GetBytes(key),
                Encode(Workload.Format, Workload.SchemaName, eventId, key, version, sequence, text));
        }
    }

    /// <summary>Writes one record's value in the given encoding; a null payload is written as null and declared optional in the envelope (poison that converts but a NOT NULL column refuses).</summary>
    internal static byte[] Encode(RecordFormat format, string schemaName, string eventId, string? key, long? version, long sequence, string? payload)
    {
        var buffer = new ArrayBufferWriter<byte>((payload?.Length ?? 0) + 512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (format == RecordFormat.JsonEnvelope)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("schema");
                WriteSchema(writer, schemaName, payloadOptional: payload is null);
                writer.WritePropertyName("payload");
                WriteFields(writer, eventId, key, version, sequence, payload);
                writer.WriteEndObject();
            }
            else
            {
                WriteFields(writer, eventId, key, version, sequence, payload);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSchema(Utf8JsonWriter writer, string schemaName, bool payloadOptional)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "struct");
        writer.WriteStartArray("fields");
        WriteField(writer, "string", optional: false, "event_id");
        WriteField(writer, "string", optional: true, "key");
        WriteField(writer, "int64", optional: true, "version");
        WriteField(writer, "int64", optional: false, "seq");
        WriteField(writer, "string", optional: payloadOptional, "payload");
        writer.WriteEndArray();
        writer.WriteBoolean("optional", false);
        writer.WriteString("name", schemaName);
        writer.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter writer, string type, bool optional, string field)
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteBoolean("optional", optional);
        writer.WriteString("field", field);
        writer.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter writer, string eventId, string? key, long? version, long sequence, string? payload)
    {
        writer.WriteStartObject();
        writer.WriteString("event_id", eventId);
        if (key is null)
        {
            writer.WriteNull("key");
        }
        else
        {
            writer.WriteString("key", key);
        }

        if (version is { } v)
        {
            writer.WriteNumber("version", v);
        }
        else
        {
            writer.WriteNull("version");
        }

        writer.WriteNumber("seq", sequence);
        if (payload is null)
        {
            writer.WriteNull("payload");
        }
        else
        {
            writer.WriteString("payload", payload);
        }

        writer.WriteEndObject();
    }
}
