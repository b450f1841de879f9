using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <content>Reading an existing pipeline's topic back into a ledger, without joining a consumer group or committing.</content>
public sealed partial class KafkaProbe
{
    /// <summary>Reads a topic from its earliest offsets to its end offsets at the time of the call and turns every record into a ledger entry by the fields of its JSON value.</summary>
    /// <param name="topic">The topic of an existing pipeline.</param>
    /// <param name="mapping">Which value fields hold the event id, key, version and the hashed content.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The ledger and what could not be identified.</returns>
    /// <remarks>Partitions are assigned, never subscribed, and auto-commit is off: the read commits nothing and joins no group.</remarks>
    /// <exception cref="InvalidOperationException">The topic does not exist or cannot be described.</exception>
    /// <exception cref="TimeoutException">The end offsets were not reached within <see cref="KafkaProbeOptions.OperationTimeout"/>.</exception>
    public async Task<TopicLedger> ReadTopicLedgerAsync(string topic, JsonValueMapping mapping, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(mapping);
        var ends = await GetEndOffsetsAsync(topic, cancellationToken).ConfigureAwait(false);
        var remaining = ends.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key.Partition, kv => kv.Value);
        var records = remaining.Count == 0 ? [] : await Task.Run(() => ReadUntil(topic, remaining, cancellationToken), cancellationToken).ConfigureAwait(false);
        var entries = new List<LedgerEntry>(records.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unidentified = new List<SourcePosition>();
        var repeated = new List<SourcePosition>();
        foreach (var record in records)
        {
            var row = record.Value is null ? new TargetRow(null) : JsonValueFields.ToRow(record.Value, mapping, record.Position);
            if (row.EventId is not { Length: > 0 } eventId)
            {
                unidentified.Add(record.Position);
                continue;
            }

            if (!seen.Add(eventId))
            {
                repeated.Add(record.Position);
                continue;
            }

            var key = row.Key ?? (record.Key is null ? null : System.Text.Encoding.UTF8.GetString(record.Key));
            entries.Add(new LedgerEntry(
                eventId,
                record.Position.Topic,
                record.Position.Partition,
                record.Position.Offset,
                key,
                row.Version,
                row.ValueHash ?? ValueHash.Compute(record.Value ?? []),
                record.Timestamp));
        }

        return new TopicLedger(topic, ends, records.Count, entries, unidentified, repeated);
    }
}
