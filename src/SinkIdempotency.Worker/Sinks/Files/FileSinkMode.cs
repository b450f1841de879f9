namespace SinkIdempotency.Worker.Sinks.Files;

/// <summary>How the file sink lays records out (<c>file.mode</c>).</summary>
internal enum FileSinkMode
{
    /// <summary>One file per topic-partition, lines appended as records arrive: a replay appends the same lines again.</summary>
    Append,

    /// <summary>Objects named by topic, partition and start offset, rotated every <c>flush.size</c> records (the S3 sink's model): a replay rewrites identical objects.</summary>
    Deterministic,
}
