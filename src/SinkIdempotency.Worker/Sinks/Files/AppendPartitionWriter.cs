using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Files;

/// <summary>Appends every record as a line to <c>topic+partition.jsonl</c>; nothing is ever rewritten, so a replay appends duplicates.</summary>
internal sealed class AppendPartitionWriter : IPartitionFileWriter
{
    private readonly FileStream _stream;

    public AppendPartitionWriter(string directory, TopicPartition partition)
    {
        Path = System.IO.Path.Combine(directory, FileObjectNames.AppendFile(partition));
        _stream = new FileStream(Path, System.IO.FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
    }

    public string Path { get; }

    public long? CommittableOffset => null;

    public void Write(SinkRecord record) => _stream.Write(FileRecordLine.ToBytes(record));

    public void Flush(bool durable) => _stream.Flush(durable);

    public void Dispose() => _stream.Dispose();
}
