using System.Globalization;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Files;

/// <summary>Names the sink's files: <c>topic+partition.jsonl</c> in append mode, <c>topic+partition+startOffset.jsonl</c> (the S3 sink's key) in deterministic mode.</summary>
internal static class FileObjectNames
{
    public const string Extension = ".jsonl";

    public static string AppendFile(TopicPartition partition) =>
        string.Create(CultureInfo.InvariantCulture, $"{partition.Topic}+{partition.Partition}{Extension}");

    public static string DeterministicObject(TopicPartition partition, long startOffset, int padWidth) =>
        string.Create(CultureInfo.InvariantCulture, $"{partition.Topic}+{partition.Partition}+{startOffset.ToString("D" + padWidth.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)}{Extension}");

    /// <summary>Names a temporary file beside an object; unique per write, so two writers of one object never share a temporary file.</summary>
    public static string Temporary(string objectName) => $".{objectName}.{Guid.NewGuid():N}.tmp";
}
