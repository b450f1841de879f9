using System.Text;
using Confluent.Kafka;
using SinkIdempotency.Targets;
using SinkIdempotency.Targets.Files;

namespace SinkIdempotency.Worker.Tests.Support;

/// <summary>Producing raw (poison) records, reading dead-letter topics and file-sink folders, for the sink and error-handling tests.</summary>
internal static class SinkTestRecords
{
    public const string Poison = "this is not JSON";

    /// <summary>Produces one record with the given raw value to partition 0.</summary>
    public static async Task ProduceRawAsync(WorkerEnvironment env, string topic, string key, string value, params (string Key, string Value)[] headers)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = env.BootstrapServers, LingerMs = 0 }).Build();
        var message = new Message<string, string> { Key = key, Value = value, Headers = [] };
        foreach (var (k, v) in headers)
        {
            message.Headers.Add(k, Encoding.UTF8.GetBytes(v));
        }

        await producer.ProduceAsync(new TopicPartition(topic, 0), message);
        producer.Flush(TimeSpan.FromSeconds(10));
    }

    /// <summary>Reads every record of partition 0 of a topic (the dead-letter queue has one partition), waiting until at least <paramref name="expected"/> arrived.</summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadTopic(WorkerEnvironment env, string topic, int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = env.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var records = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is not null && !result.IsPartitionEOF)
            {
                records.Add(result);
            }
            else if (records.Count >= expected)
            {
                break;
            }
        }

        consumer.Close();
        return records;
    }

    public static string? Header(ConsumeResult<byte[], byte[]> record, string key) =>
        record.Message.Headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    public static async Task<List<TargetRow>> ReadRowsAsync(ITargetReader reader)
    {
        var rows = new List<TargetRow>();
        await foreach (var row in reader.ReadRowsAsync())
        {
            rows.Add(row);
        }

        return rows;
    }

    public static Task<List<TargetRow>> ReadFilesAsync(string directory) => ReadRowsAsync(new FileSinkReader(directory, new JsonValueMapping { EventIdField = "id", KeyField = null, VersionField = null, HashedField = null }));

    /// <summary>Builds a file sink config reading the environment's JsonConverter envelopes.</summary>
    public static Dictionary<string, string> FileSinkConfig(string topic, string directory, string mode, int flushSize = 5) => new()
    {
        ["connector.class"] = "FileSink",
        ["tasks.max"] = "1",
        ["topics"] = topic,
        ["file.directory"] = directory,
        ["file.mode"] = mode,
        ["flush.size"] = flushSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        ["value.converter.schemas.enable"] = "true",
    };

    public static TempDirectory TempDirectory(string prefix) => new(Directory.CreateTempSubdirectory(prefix).FullName);
}

/// <summary>A temporary folder deleted when disposed.</summary>
internal sealed class TempDirectory(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
