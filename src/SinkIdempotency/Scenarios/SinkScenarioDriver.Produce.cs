using System.Text;
using System.Text.Json;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <content>Produces workloads with poison records in place.</content>
internal sealed partial class SinkScenarioDriver
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
        var poison = request.Poison.ToDictionary(p => (long)p.Index);
        var pending = new List<WorkloadRecord>();
        foreach (var record in generator.Generate())
        {
            if (record.Sequence == request.HoldBefore && request.Hold is { } hold)
            {
                // Everything before the hold is acknowledged first, so what was produced is in the topic while it holds.
                await FlushAsync().ConfigureAwait(false);
                await hold(cancellationToken).ConfigureAwait(false);
            }

            if (!poison.TryGetValue(record.Sequence, out var bad))
            {
                pending.Add(record);
                continue;
            }

            // Everything before the poison is acknowledged first, so the poison sits after it in its partition.
            await FlushAsync().ConfigureAwait(false);
            if (request.BeforePoison is { } beforePoison)
            {
                await beforePoison(bad, cancellationToken).ConfigureAwait(false);
            }

            var value = bad.Value?.Invoke(record) ?? PoisonValue(record, bad.Kind, workload);
            var position = await _probe.ProduceRawAsync(request.Topic, record.KeyBytes, value, cancellationToken: cancellationToken).ConfigureAwait(false);
            ledger.Append(new LedgerEntry(record.EventId, position.Topic, position.Partition, position.Offset, record.Key, record.Version, record.ValueHash, DateTimeOffset.UtcNow) { Poison = true });
        }

        await FlushAsync().ConfigureAwait(false);

        async Task FlushAsync()
        {
            if (pending.Count > 0)
            {
                await _probe.ProduceRecordsAsync(request.Topic, pending, ledger, workload.RecordsPerSecond, cancellationToken).ConfigureAwait(false);
                pending = [];
            }
        }
    }

    /// <summary>Makes the bytes of a built-in poison record: ones Kafka Connect's <c>JsonConverter</c> (with <c>schemas.enable=true</c>) cannot convert, or ones it converts and the constrained target refuses.</summary>
    internal static byte[] PoisonValue(WorkloadRecord record, PoisonKind kind, ScenarioWorkload workload) => kind switch
    {
        // The schema still says int64 for version, the payload carries text: a producer changed the field's type.
        PoisonKind.TypeChange => Encoding.UTF8.GetBytes(
            "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":false,\"field\":\"event_id\"},{\"type\":\"string\",\"optional\":true,\"field\":\"key\"},{\"type\":\"int64\",\"optional\":true,\"field\":\"version\"},{\"type\":\"int64\",\"optional\":false,\"field\":\"seq\"},{\"type\":\"string\",\"optional\":false,\"field\":\"payload\"}],\"optional\":false,\"name\":\"sinkidempotency.Event\"},"
            + $"\"payload\":{{\"event_id\":{JsonSerializer.Serialize(record.EventId)},\"key\":{JsonSerializer.Serialize(record.Key)},\"version\":\"v{record.Version}\",\"seq\":{record.Sequence},\"payload\":{JsonSerializer.Serialize(record.Payload)}}}}}"),
        PoisonKind.MissingEnvelope => Encoding.UTF8.GetBytes(
            $"{{\"event_id\":{JsonSerializer.Serialize(record.EventId)},\"key\":{JsonSerializer.Serialize(record.Key)},\"version\":{record.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"},\"seq\":{record.Sequence},\"payload\":{JsonSerializer.Serialize(record.Payload)}}}"),

        // Not UTF-8 from the first byte, so no converter reads it; the event id after it lets a dead letter without headers be matched.
        PoisonKind.GarbageBytes => [0xFF, 0xFE, 0x00, 0x7B, 0x22, 0xC3, 0x28, 0x13, 0x37, .. Encoding.ASCII.GetBytes(" " + record.EventId)],
        PoisonKind.TooLongForColumn => TargetPoison.Encode(record, workload, payload: new string('x', TargetPoison.PayloadLimit(workload) + 1), seq: record.Sequence),
        PoisonKind.NullInNotNullColumn => TargetPoison.Encode(record, workload, payload: null, seq: record.Sequence),
        PoisonKind.OutOfRangeNumber => TargetPoison.Encode(record, workload, payload: record.Payload, seq: TargetPoison.OutOfRangeSeq + record.Sequence),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No built-in bytes for this poison kind; a Custom poison record brings its own Value."),
    };
}
