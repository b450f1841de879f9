using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Files;

/// <summary>Writes the records of one topic-partition to the sink's folder.</summary>
internal interface IPartitionFileWriter : IDisposable
{
    /// <summary>Gets the offset that may be committed for what this writer made durable, or null when the framework's current offset applies.</summary>
    long? CommittableOffset { get; }

    void Write(SinkRecord record);

    /// <summary>Hands what was written to the operating system after a put; <paramref name="durable"/> also syncs it to disk.</summary>
    void Flush(bool durable);
}
