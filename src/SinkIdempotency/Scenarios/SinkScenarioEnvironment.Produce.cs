using System.Text;
using System.Text.Json;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <content>Produces workloads with poison records in place.</content>
public sealed partial class SinkScenarioEnvironment
{
    /// <inheritdoc />
    public async Task ProduceAsync(ProduceRequest request, Ledger ledger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ledger);
        var workload = request.Workload;
        var generator = new WorkloadGenerator(new WorkloadOptions
        {
            Count = workload.Records,
            KeyCount = workload.Keys,
            Encoding = workload.Format == RecordFormat.PlainJson ? WorkloadEncoding.PlainJson : WorkloadEncoding.JsonEnvelope,
            PayloadLength = workload.PayloadSize,
            Seed = workload.Seed,
        });
        var poison = request.Poison.ToDictionary(p => (long)p.Index, p => p.Kind);
        var pending = new List<WorkloadRecord>();
        foreach (var record in generator.Generate())
        {
            if (!poison.TryGetValue(record.Sequence, out var kind))
            {
                pending.Add(record);
                continue;
            }

            // Everything before the poison is acknowledged first, so the poison sits after it in its partition.
            await FlushAsync().ConfigureAwait(false);
            var position = await _probe.ProduceRawAsync(request.Topic, record.KeyBytes, PoisonValue(record, kind), cancellationToken: cancellationToken).ConfigureAwait(false);
            ledger.Append(new LedgerEntry(record.EventId, position.Topic, position.Partition, position.Offset, record.Key, record.Version, record.ValueHash, DateTimeOffset.UtcNow) { Poison = true });
        }

        await FlushAsync().ConfigureAwait(false);

        async Task FlushAsync()
        {
            if (pending.Count > 0)
            {
                await _probe.ProduceRecordsAsync(request.Topic, pending, ledger, cancellationToken: cancellationToken).ConfigureAwait(false);
                pending = [];
            }
        }
    }

    /// <summary>Makes the bytes of a poison record that Kafka Connect's <c>JsonConverter</c> (with <c>schemas.enable=true</c>) cannot convert.</summary>
    internal static byte[] PoisonValue(WorkloadRecord record, PoisonKind kind) => kind switch
    {
        // The schema still says int64 for version, the payload carries text: a producer changed the field's type.
        PoisonKind.TypeChange => Encoding.UTF8.GetBytes(
            "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":false,\"field\":\"event_id\"},{\"type\":\"string\",\"optional\":true,\"field\":\"key\"},{\"type\":\"int64\",\"optional\":true,\"field\":\"version\"},{\"type\":\"int64\",\"optional\":false,\"field\":\"seq\"},{\"type\":\"string\",\"optional\":false,\"field\":\"payload\"}],\"optional\":false,\"name\":\"sinkidempotency.Event\"},"
            + $"\"payload\":{{\"event_id\":{JsonSerializer.Serialize(record.EventId)},\"key\":{JsonSerializer.Serialize(record.Key)},\"version\":\"v{record.Version}\",\"seq\":{record.Sequence},\"payload\":{JsonSerializer.Serialize(record.Payload)}}}}}"),
        PoisonKind.MissingEnvelope => Encoding.UTF8.GetBytes(
            $"{{\"event_id\":{JsonSerializer.Serialize(record.EventId)},\"key\":{JsonSerializer.Serialize(record.Key)},\"version\":{record.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"},\"seq\":{record.Sequence},\"payload\":{JsonSerializer.Serialize(record.Payload)}}}"),
        PoisonKind.GarbageBytes => [0xFF, 0xFE, 0x00, 0x7B, 0x22, 0xC3, 0x28, 0x13, 0x37],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown poison kind."),
    };
}
