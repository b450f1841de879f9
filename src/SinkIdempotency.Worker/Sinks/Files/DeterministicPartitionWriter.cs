using System.Buffers;
using System.Text.Json;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Files;

/// <summary>
/// Buffers the records of one topic-partition and writes them as objects named <c>topic+partition+startOffset.jsonl</c>,
/// each written to a temporary file, synced and renamed into place, as Confluent's S3 sink (<c>TopicPartitionWriter</c>)
/// uploads them. An object is finished after <c>flush.size</c> records, or once it has been open
/// <c>rotate.schedule.interval.ms</c> (so the last records of a quiet partition land). Only records of finished objects
/// are committable; an unfinished buffer is dropped on close.
/// </summary>
/// <remarks>
/// Replays rewrite the objects already on disk, whatever offset they start from and however the objects were cut: when a
/// record falls inside an existing object, the open object takes that object's start and its lines before the record, and
/// finishes exactly at that object's last offset; a new object finishes before the next existing one starts. So a replay
/// from any earlier offset, or a restart after a crash between an object's rename and its offset commit, renames identical
/// objects over the same names and never leaves two objects holding one record. The objects on disk are listed again
/// whenever consumption jumps (a rewind or the first record), since another worker may have written since.
/// </remarks>
internal sealed class DeterministicPartitionWriter(string directory, TopicPartition partition, int flushSize, int padWidth, TimeSpan rotateAfter, TimeProvider time) : IPartitionFileWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private SortedList<long, string>? _existing;
    private int _bufferedRecords;
    private long _startOffset = -1;
    private long _lastOffset = -1;
    private long _expectedNext = -1;
    private long _openedAt;
    private long? _rewriteLast;
    private long? _nextExisting;

    public long? CommittableOffset { get; private set; }

    public void Write(SinkRecord record)
    {
        var offset = record.OriginalKafkaOffset;
        if (_bufferedRecords > 0 && offset <= _lastOffset)
        {
            // The framework delivers from an earlier offset again (a rewind): the open object restarts there.
            Discard();
        }

        if (_bufferedRecords > 0 && _nextExisting is { } next && offset >= next)
        {
            Commit();
        }

        if (_bufferedRecords == 0)
        {
            Begin(offset);
        }

        FileRecordLine.Write(_buffer, record);
        _bufferedRecords++;
        _lastOffset = offset;
        _expectedNext = offset + 1;
        if (_rewriteLast is { } last ? offset >= last : _bufferedRecords >= flushSize)
        {
            Commit();
        }
    }

    public void Flush(bool durable)
    {
        // Objects become visible only when finished; an open buffer is finished here once it has been open long enough,
        // unless it rewrites an existing object, which must end where that object ends.
        if (_bufferedRecords > 0 && _rewriteLast is null && rotateAfter > TimeSpan.Zero && time.GetElapsedTime(_openedAt) >= rotateAfter)
        {
            Commit();
        }
    }

    public void Dispose() => Discard();

    private void Begin(long offset)
    {
        if (offset != _expectedNext)
        {
            _existing = null;
        }

        _existing ??= ListObjects();
        _openedAt = time.GetTimestamp();
        _startOffset = offset;
        _rewriteLast = null;
        _nextExisting = null;
        var covering = LastStartAtOrBefore(_existing, offset);
        if (covering >= 0 && ReadObject(_existing[covering]) is { Count: > 0 } lines && lines[^1].Offset >= offset)
        {
            _startOffset = covering;
            _rewriteLast = lines[^1].Offset;
            foreach (var (lineOffset, line) in lines.Where(l => l.Offset < offset))
            {
                _buffer.Write(line);
                _buffer.Write("\n"u8);
                _bufferedRecords++;
                _lastOffset = lineOffset;
            }
        }

        var after = FirstStartAfter(_existing, _startOffset);
        _nextExisting = after >= 0 ? after : null;
    }

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

            // An object that existed under another zero padding is replaced under the same start offset.
            if (_existing is not null && _existing.TryGetValue(_startOffset, out var previous) && previous != name)
            {
                System.IO.File.Delete(Path.Combine(directory, previous));
            }

            System.IO.File.Move(temporary, Path.Combine(directory, name), overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        _existing?[_startOffset] = name;
        CommittableOffset = _lastOffset + 1;
        Discard();
    }

    private void Discard()
    {
        _buffer.ResetWrittenCount();
        _bufferedRecords = 0;
        _startOffset = -1;
        _lastOffset = -1;
        _rewriteLast = null;
        _nextExisting = null;
    }

    // Binary searches of the sorted starts: a partition with many objects costs log n per object, not n.
    private static long LastStartAtOrBefore(SortedList<long, string> objects, long offset)
    {
        var index = Search(objects.Keys, offset);
        return index >= 0 ? objects.Keys[index] : index == ~0 ? -1 : objects.Keys[~index - 1];
    }

    private static long FirstStartAfter(SortedList<long, string> objects, long offset)
    {
        var index = Search(objects.Keys, offset);
        var next = index >= 0 ? index + 1 : ~index;
        return next < objects.Count ? objects.Keys[next] : -1;
    }

    private static int Search(IList<long> starts, long offset)
    {
        int low = 0, high = starts.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var start = starts[middle];
            if (start == offset)
            {
                return middle;
            }

            if (start < offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    private SortedList<long, string> ListObjects()
    {
        var objects = new SortedList<long, string>();
        if (!Directory.Exists(directory))
        {
            return objects;
        }

        foreach (var path in Directory.EnumerateFiles(directory, FileObjectNames.DeterministicPattern(partition)))
        {
            var name = Path.GetFileName(path);
            if (FileObjectNames.TryParseStartOffset(partition, name, out var start))
            {
                objects[start] = name;
            }
        }

        return objects;
    }

    // Reads an object's lines with their offsets; an object renamed away meanwhile reads as empty.
    private List<(long Offset, byte[] Line)> ReadObject(string name)
    {
        byte[] content;
        try
        {
            content = System.IO.File.ReadAllBytes(Path.Combine(directory, name));
        }
        catch (FileNotFoundException)
        {
            return [];
        }

        var lines = new List<(long, byte[])>();
        var rest = content.AsSpan();
        while (rest.IndexOf((byte)'\n') is var end and >= 0)
        {
            var line = rest[..end];
            rest = rest[(end + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line.ToArray());
            lines.Add((document.RootElement.GetProperty("offset").GetInt64(), line.ToArray()));
        }

        return lines;
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
