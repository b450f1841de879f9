using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Log;

/// <summary>
/// One partition's log: record batches kept exactly as produced (base offset patched), the offset
/// index, high watermark, log start offset and the idempotent-producer state.
/// </summary>
/// <remarks>
/// One lock per partition; stored batch arrays are never modified after append, so readers copy them
/// outside the lock. Long-poll fetches await <see cref="WaitForAppendAsync"/> instead of polling.
/// </remarks>
internal sealed class PartitionLog
{
    private readonly Lock _lock = new();
    private readonly List<StoredBatch> _batches = [];
    private readonly ProducerStateTable _producers = new();
    private TaskCompletionSource _appended = NewSignal();
    private long _logStartOffset;
    private long _highWatermark;
    private long _sizeInBytes;
    private bool _deleted;

    public PartitionLog(string topic, int partition)
    {
        Topic = topic;
        Partition = partition;
    }

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>Gets the offset the next appended record receives (single node: also the high watermark).</summary>
    public long HighWatermark
    {
        get
        {
            lock (_lock)
            {
                return _highWatermark;
            }
        }
    }

    public long LogStartOffset
    {
        get
        {
            lock (_lock)
            {
                return _logStartOffset;
            }
        }
    }

    public long SizeInBytes
    {
        get
        {
            lock (_lock)
            {
                return _sizeInBytes;
            }
        }
    }

    public int BatchCount
    {
        get
        {
            lock (_lock)
            {
                return _batches.Count;
            }
        }
    }

    public bool IsDeleted
    {
        get
        {
            lock (_lock)
            {
                return _deleted;
            }
        }
    }

    /// <summary>
    /// Appends one validated batch: applies the idempotence checks, assigns the base offset and stores a copy.
    /// </summary>
    public AppendResult Append(ReadOnlySpan<byte> batch, in RecordBatchHeader header)
    {
        TaskCompletionSource signal;
        AppendResult result;
        lock (_lock)
        {
            if (_deleted)
            {
                return new AppendResult(ErrorCode.UnknownTopicOrPartition, -1, -1);
            }

            switch (_producers.Check(header, out var duplicateBase, out var error))
            {
                case SequenceCheck.Reject:
                    return new AppendResult(error, -1, _logStartOffset);
                case SequenceCheck.Duplicate:
                    return new AppendResult(ErrorCode.None, duplicateBase, _logStartOffset);
            }

            var baseOffset = _highWatermark;
            var stored = batch.ToArray();
            BinaryPrimitives.WriteInt64BigEndian(stored, baseOffset);
            BinaryPrimitives.WriteInt32BigEndian(stored.AsSpan(RecordBatchHeader.PartitionLeaderEpochOffset), 0);
            var lastOffset = baseOffset + header.LastOffsetDelta;
            _batches.Add(new StoredBatch(baseOffset, lastOffset, header.MaxTimestamp, stored));
            _highWatermark = lastOffset + 1;
            _sizeInBytes += stored.Length;
            _producers.Record(header, baseOffset);
            result = new AppendResult(ErrorCode.None, baseOffset, _logStartOffset);
            signal = _appended;
            _appended = NewSignal();
        }

        signal.TrySetResult();
        return result;
    }

    /// <summary>
    /// Collects whole batches starting with the one that contains <paramref name="fetchOffset"/>, up to
    /// <paramref name="maxBytes"/>; the first batch is included even when larger if <paramref name="minOneBatch"/>.
    /// </summary>
    public ReadResult Read(long fetchOffset, int maxBytes, bool minOneBatch, List<ReadOnlyMemory<byte>> output)
    {
        lock (_lock)
        {
            if (_deleted)
            {
                return new ReadResult(ErrorCode.UnknownTopicOrPartition, -1, -1, 0);
            }

            if (fetchOffset < _logStartOffset || fetchOffset > _highWatermark)
            {
                return new ReadResult(ErrorCode.OffsetOutOfRange, _highWatermark, _logStartOffset, 0);
            }

            var bytes = 0;
            var batches = CollectionsMarshal.AsSpan(_batches);
            for (var i = FindBatch(batches, fetchOffset); i >= 0 && i < batches.Length; i++)
            {
                var data = batches[i].Data;
                if (bytes + data.Length > maxBytes && !(bytes == 0 && minOneBatch))
                {
                    break;
                }

                output.Add(data);
                bytes += data.Length;
            }

            return new ReadResult(ErrorCode.None, _highWatermark, _logStartOffset, bytes);
        }
    }

    /// <summary>Returns a task that completes at the next append (or deletion); check the log again after it completes.</summary>
    public Task WaitForAppendAsync(long offset)
    {
        lock (_lock)
        {
            return _highWatermark > offset || _deleted ? Task.CompletedTask : _appended.Task;
        }
    }

    /// <summary>
    /// Finds the first record whose timestamp is at or after <paramref name="timestamp"/> (ListOffsets by time).
    /// </summary>
    /// <returns>The record's offset and timestamp, or (-1, -1) when no record is that late.</returns>
    public (long Offset, long Timestamp) FindOffsetByTimestamp(long timestamp)
    {
        StoredBatch? candidate = null;
        lock (_lock)
        {
            foreach (var batch in _batches)
            {
                if (batch.MaxTimestamp >= timestamp && batch.LastOffset >= _logStartOffset)
                {
                    candidate = batch;
                    break;
                }
            }
        }

        if (candidate is not { } found)
        {
            return (-1, -1);
        }

        var startOffset = LogStartOffset;
        List<(long Offset, long Timestamp)> records;
        try
        {
            records = RecordTimestamps.Enumerate(found.Data);
        }
        catch (Exception ex) when (ex is ProtocolException or InvalidDataException)
        {
            records = [];
        }

        foreach (var (offset, recordTimestamp) in records)
        {
            if (offset >= startOffset && recordTimestamp >= timestamp)
            {
                return (offset, recordTimestamp);
            }
        }

        // Compressed with a codec we do not decode: the batch is the best answer (its first offset, max timestamp).
        return (Math.Max(found.BaseOffset, startOffset), found.MaxTimestamp);
    }

    /// <summary>Moves the log start offset forward (Kafka's DeleteRecords / retention), dropping whole batches before it.</summary>
    public void AdvanceLogStart(long offset)
    {
        lock (_lock)
        {
            offset = Math.Min(offset, _highWatermark);
            if (offset <= _logStartOffset)
            {
                return;
            }

            _logStartOffset = offset;
            var removable = 0;
            while (removable < _batches.Count && _batches[removable].LastOffset < offset)
            {
                _sizeInBytes -= _batches[removable].Data.Length;
                removable++;
            }

            _batches.RemoveRange(0, removable);
        }
    }

    /// <summary>Marks the log deleted and wakes every waiting fetch.</summary>
    public void MarkDeleted()
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            _deleted = true;
            _batches.Clear();
            signal = _appended;
        }

        signal.TrySetResult();
    }

    /// <summary>Gets a producer's state on this partition, for inspection.</summary>
    public bool TryGetProducer(long producerId, out short epoch, out int lastSequence)
    {
        lock (_lock)
        {
            return _producers.TryGet(producerId, out epoch, out lastSequence);
        }
    }

    private static int FindBatch(ReadOnlySpan<StoredBatch> batches, long offset)
    {
        int lo = 0, hi = batches.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (batches[mid].LastOffset >= offset)
            {
                found = mid;
                hi = mid - 1;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return found;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly record struct StoredBatch(long BaseOffset, long LastOffset, long MaxTimestamp, byte[] Data);
}

/// <summary>The outcome of <see cref="PartitionLog.Append"/>.</summary>
internal readonly record struct AppendResult(ErrorCode Error, long BaseOffset, long LogStartOffset);

/// <summary>The outcome of <see cref="PartitionLog.Read"/>.</summary>
internal readonly record struct ReadResult(ErrorCode Error, long HighWatermark, long LogStartOffset, int Bytes);
