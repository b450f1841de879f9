using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Log;

/// <summary>
/// One partition's log: record batches kept exactly as produced (base offset patched), grouped into
/// segments the way Kafka rolls them, the offset index, high watermark, log start offset and the
/// idempotent-producer state.
/// </summary>
/// <remarks>
/// <para>
/// One lock per partition; stored batch arrays are never modified after append, so readers copy them
/// outside the lock. Long-poll fetches await <see cref="WaitForAppendAsync"/> instead of polling.
/// </para>
/// <para>
/// Segments exist only as bookkeeping (there are no files): a new one starts when the next batch would
/// take the active one past <c>segment.bytes</c>, or when the batch's timestamp is <c>segment.ms</c> past the
/// segment's first batch (Kafka's <c>LogSegment.shouldRoll</c>). Retention deletes whole segments, oldest
/// first, by the rules of Kafka's <c>UnifiedLog.deleteOldSegments</c>; DeleteRecords frees whole batches
/// below the new log start offset at once (Kafka frees them with their segment at the next retention pass;
/// what a client can read is the same).
/// </para>
/// </remarks>
internal sealed class PartitionLog
{
    private static readonly TopicConfigSet KafkaDefaults = TopicConfigSet.Create(new Dictionary<string, string?>(), new Dictionary<string, string>());

    private readonly Lock _lock = new();
    private readonly List<StoredBatch> _batches = [];
    private readonly List<Segment> _segments = [];
    private readonly ProducerStateTable _producers = new();
    private readonly TimeProvider _time;
    private readonly Func<TopicConfigSet> _config;
    private TaskCompletionSource _appended = NewSignal();
    private long _logStartOffset;
    private long _highWatermark;
    private long _sizeInBytes;
    private bool _deleted;

    /// <summary>Creates an empty log.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="partition">The partition index.</param>
    /// <param name="timeProvider">The broker clock (segment age without record timestamps, retention); null uses the system clock.</param>
    /// <param name="config">Returns the topic's configuration now; null uses Kafka's defaults.</param>
    public PartitionLog(string topic, int partition, TimeProvider? timeProvider = null, Func<TopicConfigSet>? config = null)
    {
        Topic = topic;
        Partition = partition;
        _time = timeProvider ?? TimeProvider.System;
        _config = config ?? (() => KafkaDefaults);
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

    /// <summary>Gets the number of log segments (zero until the first append, or after retention deleted them all).</summary>
    public int SegmentCount
    {
        get
        {
            lock (_lock)
            {
                return _segments.Count;
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
        var config = _config();
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
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
            ActiveSegmentFor(baseOffset, stored.Length, header.MaxTimestamp, now, config).Add(stored.Length, header.MaxTimestamp, now);
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
        catch (Exception ex) when (ex is ProtocolException or InvalidDataException or InvalidOperationException or ArgumentException or ZstdSharp.ZstdException)
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

        // Records we could not decode: the batch is the best answer (its first offset, max timestamp).
        return (Math.Max(found.BaseOffset, startOffset), found.MaxTimestamp);
    }

    /// <summary>Moves the log start offset forward (Kafka's DeleteRecords), freeing the whole batches before it.</summary>
    /// <param name="offset">The new log start offset; capped at the high watermark.</param>
    /// <returns>What was deleted, or null when the log start offset was already there or beyond.</returns>
    public BrokerLogDeletion? AdvanceLogStart(long offset)
    {
        lock (_lock)
        {
            offset = Math.Min(offset, _highWatermark);
            if (_deleted || offset <= _logStartOffset)
            {
                return null;
            }

            var before = _logStartOffset;
            var segmentsBefore = _segments.Count;
            _logStartOffset = offset;
            var removable = 0;
            long bytes = 0;
            while (removable < _batches.Count && _batches[removable].LastOffset < offset)
            {
                var length = _batches[removable].Data.Length;
                bytes += length;
                _segments[SegmentIndexOf(_batches[removable].BaseOffset)].Remove(length);
                removable++;
            }

            _batches.RemoveRange(0, removable);
            _sizeInBytes -= bytes;
            _segments.RemoveAll(s => s.Batches == 0);
            return Deletion(BrokerLogDeletionReason.DeleteRecords, null, null, segmentsBefore - _segments.Count, bytes, before);
        }
    }

    /// <summary>
    /// Deletes the oldest segments that break the topic's retention (Kafka's order: <c>retention.bytes</c>, then
    /// <c>retention.ms</c>), when <c>cleanup.policy</c> contains <c>delete</c>; the log start offset moves to the
    /// first remaining segment, or to the high watermark when none remains.
    /// </summary>
    /// <param name="deletions">Receives one entry per rule that deleted something.</param>
    public void ApplyRetention(List<BrokerLogDeletion> deletions)
    {
        var config = _config();
        if (!config.Delete)
        {
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            if (_deleted)
            {
                return;
            }

            if (config.RetentionBytes >= 0 && _sizeInBytes >= config.RetentionBytes)
            {
                var excess = _sizeInBytes - config.RetentionBytes;
                var count = CountDeletable(segment =>
                {
                    if (excess - segment.Bytes < 0)
                    {
                        return false;
                    }

                    excess -= segment.Bytes;
                    return true;
                });
                DeleteLeadingSegments(count, BrokerLogDeletionReason.RetentionSize, TopicConfigs.RetentionBytes, config.RetentionBytes, deletions);
            }

            if (config.RetentionMs >= 0)
            {
                var count = CountDeletable(segment => now - segment.LargestTimestamp > config.RetentionMs);
                DeleteLeadingSegments(count, BrokerLogDeletionReason.RetentionTime, TopicConfigs.RetentionMs, config.RetentionMs, deletions);
            }
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
            _segments.Clear();
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

    /// <summary>Returns the segment the next batch goes to, starting a new one when Kafka would roll.</summary>
    private Segment ActiveSegmentFor(long baseOffset, int batchBytes, long batchMaxTimestamp, long now, TopicConfigSet config)
    {
        if (_segments.Count > 0)
        {
            var active = _segments[^1];
            var waited = active.RollingTimestamp >= 0 ? batchMaxTimestamp - active.RollingTimestamp : now - active.CreatedMs;
            var full = active.Bytes > config.SegmentBytes - batchBytes;
            if (active.Bytes == 0 || !(full || waited > config.SegmentMs))
            {
                return active;
            }
        }

        var segment = new Segment(baseOffset, now);
        _segments.Add(segment);
        return segment;
    }

    /// <summary>Counts the leading segments <paramref name="deletable"/> accepts, stopping at the first it refuses (Kafka's <c>deletableSegments</c>).</summary>
    private int CountDeletable(Func<Segment, bool> deletable)
    {
        var count = 0;
        while (count < _segments.Count && deletable(_segments[count]))
        {
            count++;
        }

        return count;
    }

    private void DeleteLeadingSegments(int count, BrokerLogDeletionReason reason, string configName, long configValue, List<BrokerLogDeletion> deletions)
    {
        if (count == 0)
        {
            return;
        }

        var before = _logStartOffset;
        var batches = 0;
        long bytes = 0;
        foreach (var segment in _segments.Take(count))
        {
            batches += segment.Batches;
            bytes += segment.Bytes;
        }

        _batches.RemoveRange(0, batches);
        _segments.RemoveRange(0, count);
        _sizeInBytes -= bytes;
        _logStartOffset = Math.Max(_logStartOffset, _segments.Count > 0 ? _segments[0].BaseOffset : _highWatermark);
        deletions.Add(Deletion(reason, configName, configValue, count, bytes, before));
    }

    private BrokerLogDeletion Deletion(BrokerLogDeletionReason reason, string? configName, long? configValue, int segments, long bytes, long logStartBefore) =>
        new(Topic, Partition, reason, configName, configValue, segments, bytes, logStartBefore, _logStartOffset, _time.GetUtcNow());

    /// <summary>Finds the segment holding the batch that starts at <paramref name="baseOffset"/>.</summary>
    private int SegmentIndexOf(long baseOffset)
    {
        var index = 0;
        while (index + 1 < _segments.Count && _segments[index + 1].BaseOffset <= baseOffset)
        {
            index++;
        }

        return index;
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

    /// <summary>A log segment's bookkeeping: where it starts, what it holds and its timestamps.</summary>
    private sealed class Segment(long baseOffset, long createdMs)
    {
        public long BaseOffset { get; } = baseOffset;

        public long CreatedMs { get; } = createdMs;

        public int Batches { get; private set; }

        public long Bytes { get; private set; }

        /// <summary>Gets the first batch's max timestamp, which segment.ms is counted from (-1 when it had none).</summary>
        public long RollingTimestamp { get; private set; } = -1;

        /// <summary>Gets the newest record timestamp in the segment (-1 when none had one).</summary>
        public long MaxTimestamp { get; private set; } = -1;

        public long LastModifiedMs { get; private set; } = createdMs;

        /// <summary>Gets what retention.ms is measured against: the newest record timestamp, else the last append time (Kafka's <c>largestTimestamp</c>).</summary>
        public long LargestTimestamp => MaxTimestamp >= 0 ? MaxTimestamp : LastModifiedMs;

        public void Add(int bytes, long batchMaxTimestamp, long now)
        {
            if (Batches == 0)
            {
                RollingTimestamp = batchMaxTimestamp;
            }

            Batches++;
            Bytes += bytes;
            MaxTimestamp = Math.Max(MaxTimestamp, batchMaxTimestamp);
            LastModifiedMs = now;
        }

        /// <summary>Forgets a batch freed below the log start offset (the segment's timestamps stay, as Kafka's would).</summary>
        public void Remove(int bytes)
        {
            Batches--;
            Bytes -= bytes;
        }
    }
}

/// <summary>The outcome of <see cref="PartitionLog.Append"/>.</summary>
internal readonly record struct AppendResult(ErrorCode Error, long BaseOffset, long LogStartOffset);

/// <summary>The outcome of <see cref="PartitionLog.Read"/>.</summary>
internal readonly record struct ReadResult(ErrorCode Error, long HighWatermark, long LogStartOffset, int Bytes);
