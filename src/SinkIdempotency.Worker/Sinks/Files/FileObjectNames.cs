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

    /// <summary>Gets the search pattern matching one partition's deterministic objects (topic names cannot hold <c>+</c>, <c>*</c> or <c>?</c>).</summary>
    public static string DeterministicPattern(TopicPartition partition) =>
        string.Create(CultureInfo.InvariantCulture, $"{partition.Topic}+{partition.Partition}+*{Extension}");

    /// <summary>Reads the start offset from a deterministic object's name, whatever its zero padding.</summary>
    public static bool TryParseStartOffset(TopicPartition partition, string name, out long startOffset)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{partition.Topic}+{partition.Partition}+");
        startOffset = -1;
        return name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out startOffset);
    }

    /// <summary>Names a temporary file beside an object; unique per write, so two writers of one object never share a temporary file.</summary>
    public static string Temporary(string objectName) => $".{objectName}.{Guid.NewGuid():N}.tmp";
}
