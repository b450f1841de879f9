using System.Buffers;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Files;

/// <summary>
/// Buffers the records of one topic-partition and writes them as objects of <c>flush.size</c> records named
/// <c>topic+partition+startOffset.jsonl</c>, each written to a temporary file, synced and renamed into place, as Confluent's S3
/// sink (<c>TopicPartitionWriter</c>) uploads them. Only records of finished objects are committable; an unfinished buffer is
/// dropped on close, so after a restart consumption resumes at an object boundary and regenerates identical objects.
/// </summary>
internal sealed class DeterministicPartitionWriter(string directory, TopicPartition partition, int flushSize, int padWidth) : IPartitionFileWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private int _bufferedRecords;
    private long _startOffset = -1;
    private long _lastOffset = -1;

    public long? CommittableOffset { get; private set; }

    /// <summary>Gets the names of the objects this writer finished, in order.</summary>
    public List<string> FinishedObjects { get; } = [];

    public void Write(SinkRecord record)
    {
        var offset = record.OriginalKafkaOffset;
        if (_bufferedRecords > 0 && offset <= _lastOffset)
        {
            // The framework delivers from an earlier offset again (a rewind): the open object restarts there.
            Discard();
        }

        if (_bufferedRecords == 0)
        {
            _startOffset = offset;
        }

        FileRecordLine.Write(_buffer, record);
        _bufferedRecords++;
        _lastOffset = offset;
        if (_bufferedRecords >= flushSize)
        {
            Commit();
        }
    }

    public void Flush(bool durable)
    {
        // Objects become visible only when finished; an open buffer is not flushed anywhere.
    }

    public void Dispose() => Discard();

    private void Commit()
    {
        var name = FileObjectNames.DeterministicObject(partition, _startOffset, padWidth);
        var temporary = Path.Combine(directory, FileObjectNames.Temporary(name));
        try
        {
            using (var stream = new FileStream(temporary, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(_buffer.WrittenSpan);
                stream.Flush(flushToDisk: true);
            }

            System.IO.File.Move(temporary, Path.Combine(directory, name), overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        FinishedObjects.Add(name);
        CommittableOffset = _lastOffset + 1;
        Discard();
    }

    private void Discard()
    {
        _buffer.ResetWrittenCount();
        _bufferedRecords = 0;
        _startOffset = -1;
        _lastOffset = -1;
    }

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
