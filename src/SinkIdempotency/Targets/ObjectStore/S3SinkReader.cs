using System.Runtime.CompilerServices;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Targets.ObjectStore;

/// <summary>Reads the objects Confluent's S3 sink wrote under one folder of a bucket: one row per line of every object named as the sink's default partitioner names them (<see cref="S3ObjectName"/>), so a record in two objects is two rows and an object rewritten under its own name is read once.</summary>
/// <remarks>
/// Lines are record values as the sink's <c>JsonFormat</c> writes them. The first line of an object is at the object's
/// start offset, which becomes that row's <see cref="TargetRow.Source"/>; later lines carry no coordinates, because an
/// object's offsets need not be consecutive (transaction markers and compacted records leave gaps). Keys of any other
/// shape are not read. Objects are read in (topic, partition, start offset) order.
/// </remarks>
public sealed class S3SinkReader : ITargetReader
{
    private readonly S3Connection _connection;
    private readonly string _bucket;
    private readonly string _topicsDirectory;
    private readonly JsonValueMapping _mapping;
    private readonly HttpMessageHandler? _handler;

    /// <summary>Initializes a reader of one folder of a bucket.</summary>
    /// <param name="connection">The store.</param>
    /// <param name="bucket">The bucket (the sink's <c>s3.bucket.name</c>).</param>
    /// <param name="topicsDirectory">The folder (the sink's <c>topics.dir</c>), without a trailing slash.</param>
    /// <param name="mapping">Which value fields hold the event id, key, version and hashed content; <see cref="JsonValueMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="handler">The HTTP handler, or <see langword="null"/> for a new one per read.</param>
    public S3SinkReader(S3Connection connection, string bucket, string topicsDirectory, JsonValueMapping? mapping = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentException.ThrowIfNullOrWhiteSpace(topicsDirectory);
        _connection = connection;
        _bucket = bucket;
        _topicsDirectory = topicsDirectory.TrimEnd('/');
        _mapping = mapping ?? JsonValueMapping.Default;
        _handler = handler;
        Description = $"S3 objects under s3://{bucket}/{_topicsDirectory}/ at {connection.ServiceUrl}";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Lists the sink's objects under the folder, in (topic, partition, start offset) order.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The parsed names with their keys.</returns>
    public async Task<IReadOnlyList<(string Key, S3ObjectName Name)>> ListObjectsAsync(CancellationToken cancellationToken = default)
    {
        using var client = new S3Client(_connection, handler: _handler);
        var objects = new List<(string Key, S3ObjectName Name)>();
        await foreach (var key in client.ListKeysAsync(_bucket, _topicsDirectory + "/", cancellationToken).ConfigureAwait(false))
        {
            if (S3ObjectName.TryParse(key, out var name) && name.TopicsDirectory == _topicsDirectory)
            {
                objects.Add((key, name));
            }
        }

        objects.Sort((a, b) => (string.CompareOrdinal(a.Name.Topic, b.Name.Topic), a.Name.Partition.CompareTo(b.Name.Partition), a.Name.StartOffset.CompareTo(b.Name.StartOffset)) switch
        {
            (not 0 and var t, _, _) => t,
            (_, not 0 and var p, _) => p,
            (_, _, var o) => o,
        });
        return objects;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TargetRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var objects = await ListObjectsAsync(cancellationToken).ConfigureAwait(false);
        using var client = new S3Client(_connection, handler: _handler);
        foreach (var (key, name) in objects)
        {
            // An object deleted between the listing and the read is not held any more.
            var content = await client.GetAsync(_bucket, key, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                continue;
            }

            var first = true;
            foreach (var line in Lines(content))
            {
                var source = first ? new SourcePosition(name.Topic, name.Partition, name.StartOffset) : (SourcePosition?)null;
                first = false;
                yield return JsonValueFields.ToRow(content.AsSpan(line.Start, line.Length), _mapping, source);
            }
        }
    }

    private static List<(int Start, int Length)> Lines(byte[] content)
    {
        var lines = new List<(int, int)>();
        var start = 0;
        while (start < content.Length)
        {
            var end = Array.IndexOf(content, (byte)'\n', start);
            var stop = end < 0 ? content.Length : end;
            var length = stop - start;
            if (length > 0 && content[stop - 1] == (byte)'\r')
            {
                length--;
            }

            if (content.AsSpan(start, length).Trim((byte)' ').Length > 0)
            {
                lines.Add((start, length));
            }

            start = stop + 1;
        }

        return lines;
    }
}
