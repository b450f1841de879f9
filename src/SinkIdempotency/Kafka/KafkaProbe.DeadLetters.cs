using System.Text;
using Confluent.Kafka;
using SinkIdempotency.Timing;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <content>Reading a whole topic (a dead-letter topic) with its headers, without joining a consumer group.</content>
public sealed partial class KafkaProbe
{
    /// <summary>Reads every record of a topic up to its end offsets at the time of the call, with headers, without committing anything.</summary>
    /// <param name="topic">The dead-letter topic.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, per partition in offset order; empty when the topic does not exist.</returns>
    /// <exception cref="TimeoutException">The end offsets were not reached within <see cref="KafkaProbeOptions.OperationTimeout"/>.</exception>
    public async Task<IReadOnlyList<DeadLetterTopicRecord>> ReadDeadLetterTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        IReadOnlyDictionary<SourcePartition, long> ends;
        try
        {
            ends = await GetEndOffsetsAsync(topic, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is KafkaException { Error.Code: ErrorCode.UnknownTopicOrPart })
        {
            return [];
        }

        var remaining = ends.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key.Partition, kv => kv.Value);
        if (remaining.Count == 0)
        {
            return [];
        }

        return await Task.Run(() => ReadUntil(topic, remaining, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private List<DeadLetterTopicRecord> ReadUntil(string topic, Dictionary<int, long> ends, CancellationToken cancellationToken)
    {
        var config = _endpoint.Configure(new ConsumerConfig(), "sinkidempotency-probe-reader");
        config.GroupId = "sinkidempotency-probe-reader-" + Guid.NewGuid().ToString("N");
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, new Partition(p), Offset.Beginning)));
        var records = new List<DeadLetterTopicRecord>();
        var time = _options.TimeProvider;
        var deadline = Deadline.After(_options.OperationTimeout, time);
        var open = new HashSet<int>(ends.Keys);
        while (open.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (deadline.HasPassed)
            {
                throw new TimeoutException($"Reading '{topic}' on {_endpoint} did not reach the end offsets within {_options.OperationTimeout.TotalSeconds:0.#} s; partitions still open: {string.Join(", ", open)}.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF || result.Message is null)
            {
                continue;
            }

            var partition = result.Partition.Value;
            if (result.Offset.Value < ends[partition])
            {
                records.Add(new DeadLetterTopicRecord(
                    new SourcePosition(result.Topic, partition, result.Offset.Value),
                    result.Message.Key,
                    result.Message.Value,
                    result.Message.Timestamp.UtcDateTime,
                    [.. (result.Message.Headers ?? []).Select(h => new KeyValuePair<string, string?>(h.Key, h.GetValueBytes() is { } bytes ? Encoding.UTF8.GetString(bytes) : null))]));
            }

            if (result.Offset.Value + 1 >= ends[partition])
            {
                open.Remove(partition);
            }
        }

        consumer.Close();
        return [.. records.OrderBy(r => r.Position.Partition).ThenBy(r => r.Position.Offset)];
    }
}
