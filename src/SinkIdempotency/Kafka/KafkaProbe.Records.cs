using Confluent.Kafka;
using Confluent.Kafka.Admin;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <content>Record deletion: the DeleteRecords call that moves a partition's log start offset, as retention does.</content>
public sealed partial class KafkaProbe
{
    /// <summary>Deletes a topic's records before the given offsets (DeleteRecords), so consumers can no longer read them.</summary>
    /// <param name="offsets">The new log start offset per partition; partitions left out are untouched.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log start offset (low watermark) each partition reports after the deletion.</returns>
    /// <exception cref="InvalidOperationException">The cluster refused the deletion of one partition (for example a compacted topic, POLICY_VIOLATION); the message names it.</exception>
    public async Task<IReadOnlyDictionary<SourcePartition, long>> DeleteRecordsBeforeAsync(IReadOnlyDictionary<SourcePartition, long> offsets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.Count == 0)
        {
            return new Dictionary<SourcePartition, long>();
        }

        List<DeleteRecordsResult> results;
        try
        {
            results = await _admin.Value.DeleteRecordsAsync(
                    [.. offsets.Select(p => new TopicPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value))],
                    new DeleteRecordsOptions { RequestTimeout = _options.OperationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DeleteRecordsException ex)
        {
            var failed = ex.Results.Where(r => r.Error.IsError).Select(r => $"{r.Topic}[{r.Partition.Value}]: {r.Error.Code} {r.Error.Reason}");
            throw new InvalidOperationException($"{_endpoint} refused to delete records: {string.Join("; ", failed)}", ex);
        }
        catch (KafkaException ex)
        {
            throw new InvalidOperationException($"{_endpoint} refused to delete records: {ex.Error.Code} {ex.Error.Reason}", ex);
        }

        return results.ToDictionary(r => new SourcePartition(r.Topic, r.Partition.Value), r => r.Offset.Value);
    }
}
