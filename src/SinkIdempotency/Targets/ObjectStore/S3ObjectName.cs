using System.Globalization;

namespace SinkIdempotency.Targets.ObjectStore;

/// <summary>Names one object of Confluent's S3 sink with its default partitioner: <c>&lt;topics.dir&gt;/&lt;topic&gt;/partition=&lt;p&gt;/&lt;topic&gt;+&lt;p&gt;+&lt;startOffset&gt;.&lt;ext&gt;</c>, the start offset zero-padded (<c>filename.offset.zero.pad.width</c>, 10 by default).</summary>
/// <param name="TopicsDirectory">The object's top folder (<c>topics.dir</c>, <c>topics</c> by default); it may itself hold slashes.</param>
/// <param name="Topic">The Kafka topic.</param>
/// <param name="Partition">The Kafka partition.</param>
/// <param name="StartOffset">The offset of the object's first record.</param>
/// <param name="Extension">The format's extension without its dot (<c>json</c> for <c>JsonFormat</c>).</param>
public readonly record struct S3ObjectName(string TopicsDirectory, string Topic, int Partition, long StartOffset, string Extension)
{
    /// <summary>Formats the object key, padding the start offset to <paramref name="padWidth"/> digits.</summary>
    /// <param name="padWidth">The zero-padding width (the sink's <c>filename.offset.zero.pad.width</c>).</param>
    /// <returns>The key.</returns>
    public string ToKey(int padWidth = 10) => string.Create(
        CultureInfo.InvariantCulture,
        $"{TopicsDirectory}/{Topic}/partition={Partition}/{Topic}+{Partition}+{StartOffset.ToString("D" + padWidth.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)}.{Extension}");

    /// <summary>Parses an object key the sink's default partitioner wrote; keys of any other shape (another partitioner, a temporary upload, a folder marker) are not objects of the sink.</summary>
    /// <param name="key">The object key.</param>
    /// <param name="name">The parsed name.</param>
    /// <returns>Whether the key has the sink's shape, with the topic and partition of its folder matching those of its file name.</returns>
    public static bool TryParse(string? key, out S3ObjectName name)
    {
        name = default;
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var fileStart = key.LastIndexOf('/');
        var partitionFolderStart = fileStart > 0 ? key.LastIndexOf('/', fileStart - 1) : -1;
        var topicFolderStart = partitionFolderStart > 0 ? key.LastIndexOf('/', partitionFolderStart - 1) : -1;
        if (topicFolderStart <= 0)
        {
            return false;
        }

        var file = key[(fileStart + 1)..];
        var dot = file.LastIndexOf('.');
        var offsetPlus = dot > 0 ? file.LastIndexOf('+', dot - 1) : -1;
        var partitionPlus = offsetPlus > 0 ? file.LastIndexOf('+', offsetPlus - 1) : -1;
        if (partitionPlus <= 0 || dot == file.Length - 1)
        {
            return false;
        }

        var topic = file[..partitionPlus];
        var extension = file[(dot + 1)..];
        if (!int.TryParse(file.AsSpan(partitionPlus + 1, offsetPlus - partitionPlus - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(file.AsSpan(offsetPlus + 1, dot - offsetPlus - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return false;
        }

        var topicFolder = key[(topicFolderStart + 1)..partitionFolderStart];
        var partitionFolder = key[(partitionFolderStart + 1)..fileStart];
        if (topicFolder != topic || partitionFolder != string.Create(CultureInfo.InvariantCulture, $"partition={partition}"))
        {
            return false;
        }

        name = new S3ObjectName(key[..topicFolderStart], topic, partition, start, extension);
        return true;
    }
}
