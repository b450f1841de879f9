using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Log;

/// <summary>
/// One partition's idempotent-producer state: per producer id the current epoch and the last five
/// batches' sequence ranges, checked the way Kafka's <c>ProducerAppendInfo</c> does.
/// </summary>
/// <remarks>Not thread-safe: the owning <see cref="PartitionLog"/> calls it under its lock.</remarks>
internal sealed class ProducerStateTable
{
    /// <summary>The number of batches per producer whose retries are recognised as duplicates (Kafka keeps 5).</summary>
    public const int RetainedBatches = 5;

    private readonly Dictionary<long, ProducerEntry> _producers = [];

    public int Count => _producers.Count;

    /// <summary>Checks a batch before it is appended.</summary>
    /// <returns>
    /// <see cref="SequenceCheck.Append"/>, or <see cref="SequenceCheck.Duplicate"/> with the base offset the
    /// batch got the first time, or <see cref="SequenceCheck.Reject"/> with the error to return.
    /// </returns>
    public SequenceCheck Check(in RecordBatchHeader batch, out long duplicateBaseOffset, out ErrorCode error)
    {
        duplicateBaseOffset = -1;
        error = ErrorCode.None;
        if (!batch.IsIdempotent || !_producers.TryGetValue(batch.ProducerId, out var entry))
        {
            // No state for this producer: Kafka accepts whatever sequence the first batch carries.
            return SequenceCheck.Append;
        }

        if (batch.ProducerEpoch < entry.Epoch)
        {
            error = ErrorCode.InvalidProducerEpoch;
            return SequenceCheck.Reject;
        }

        if (batch.ProducerEpoch > entry.Epoch)
        {
            // librdkafka bumps the epoch locally after some errors and restarts its sequences at 0.
            if (batch.BaseSequence != 0)
            {
                error = ErrorCode.OutOfOrderSequenceNumber;
                return SequenceCheck.Reject;
            }

            return SequenceCheck.Append;
        }

        foreach (var cached in entry.Batches)
        {
            if (cached.FirstSequence == batch.BaseSequence && cached.LastSequence == batch.LastSequence)
            {
                duplicateBaseOffset = cached.BaseOffset;
                return SequenceCheck.Duplicate;
            }
        }

        var expected = entry.LastSequence == int.MaxValue ? 0 : entry.LastSequence + 1;
        if (batch.BaseSequence != expected)
        {
            error = ErrorCode.OutOfOrderSequenceNumber;
            return SequenceCheck.Reject;
        }

        return SequenceCheck.Append;
    }

    /// <summary>Records an appended idempotent batch.</summary>
    public void Record(in RecordBatchHeader batch, long baseOffset)
    {
        if (!batch.IsIdempotent)
        {
            return;
        }

        if (!_producers.TryGetValue(batch.ProducerId, out var entry) || entry.Epoch != batch.ProducerEpoch)
        {
            entry = new ProducerEntry(batch.ProducerEpoch);
            _producers[batch.ProducerId] = entry;
        }

        if (entry.Batches.Count == RetainedBatches)
        {
            entry.Batches.Dequeue();
        }

        entry.Batches.Enqueue(new CachedBatch(batch.BaseSequence, batch.LastSequence, baseOffset));
        entry.LastSequence = batch.LastSequence;
    }

    /// <summary>Gets a producer's epoch and last sequence, for tests and inspection.</summary>
    public bool TryGet(long producerId, out short epoch, out int lastSequence)
    {
        if (_producers.TryGetValue(producerId, out var entry))
        {
            epoch = entry.Epoch;
            lastSequence = entry.LastSequence;
            return true;
        }

        epoch = -1;
        lastSequence = -1;
        return false;
    }

    private sealed class ProducerEntry(short epoch)
    {
        public short Epoch { get; } = epoch;

        public int LastSequence { get; set; } = -1;

        public Queue<CachedBatch> Batches { get; } = new(RetainedBatches);
    }

    private readonly record struct CachedBatch(int FirstSequence, int LastSequence, long BaseOffset);
}

/// <summary>The outcome of <see cref="ProducerStateTable.Check"/>.</summary>
internal enum SequenceCheck
{
    Append,
    Duplicate,
    Reject,
}
