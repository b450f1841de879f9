using System.Buffers.Binary;
using System.Net.Sockets;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Tests.Server;

/// <summary>A bare TCP Kafka client for wire-level tests: sends hand-built frames and reads raw responses.</summary>
internal sealed class RawKafkaClient : IAsyncDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream? _stream;

    public static async Task<RawKafkaClient> ConnectAsync(KafkaBroker broker)
    {
        var client = new RawKafkaClient();
        await client._client.ConnectAsync("127.0.0.1", broker.Port, TestContext.Current.CancellationToken);
        client._client.NoDelay = true;
        client._stream = client._client.GetStream();
        return client;
    }

    public Task SendAsync(byte[] bytes) => _stream!.WriteAsync(bytes, TestContext.Current.CancellationToken).AsTask();

    /// <summary>Reads one response frame: its correlation id and the bytes after it; null if the broker closed the connection.</summary>
    public async Task<(int CorrelationId, byte[] Body)?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        var size = new byte[4];
        if (!await ReadExactlyOrEofAsync(size, cts.Token))
        {
            return null;
        }

        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        if (!await ReadExactlyOrEofAsync(frame, cts.Token))
        {
            return null;
        }

        return (BinaryPrimitives.ReadInt32BigEndian(frame), frame[4..]);
    }

    /// <summary>Returns true when the broker closed the connection (EOF or reset) within the timeout.</summary>
    public async Task<bool> IsClosedByBrokerAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (await _stream!.ReadAsync(buffer, cts.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> ReadExactlyOrEofAsync(byte[] buffer, CancellationToken token)
    {
        try
        {
            await _stream!.ReadExactlyAsync(buffer, token);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}

/// <summary>Builds request frames (size prefix included) the way librdkafka does.</summary>
internal static class RequestFrames
{
    public static byte[] Frame(ApiKey key, short version, int correlationId, Action<KafkaWriter> body, bool flexible = false, string? clientId = "raw-test")
    {
        var writer = new KafkaWriter();
        writer.BeginFrame();
        writer.WriteInt16((short)key);
        writer.WriteInt16(version);
        writer.WriteInt32(correlationId);
        writer.WriteNullableString(clientId);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }

        body(writer);
        writer.CompleteFrame();
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] ApiVersions(short version, int correlationId) =>
        Frame(ApiKey.ApiVersions, version, correlationId, w =>
        {
            if (version >= 3)
            {
                w.WriteCompactString("raw-test");
                w.WriteCompactString("1.0");
                w.WriteEmptyTaggedFields();
            }
        }, flexible: version >= 3);

    public static byte[] Metadata(int correlationId, params string[] topics) =>
        Frame(ApiKey.Metadata, 8, correlationId, w =>
        {
            w.WriteArrayLength(topics.Length);
            foreach (var t in topics)
            {
                w.WriteString(t);
            }

            w.WriteBoolean(true);
            w.WriteBoolean(false);
            w.WriteBoolean(false);
        });

    public static byte[] Produce(int correlationId, short acks, string topic, int partition, byte[] batch, short version = 7) =>
        Frame(ApiKey.Produce, version, correlationId, w =>
        {
            w.WriteNullableString(null);
            w.WriteInt16(acks);
            w.WriteInt32(30_000);
            w.WriteArrayLength(1);
            w.WriteString(topic);
            w.WriteArrayLength(1);
            w.WriteInt32(partition);
            w.WriteBytes(batch);
        });

    public static byte[] Fetch(int correlationId, string topic, int partition, long offset, int maxWaitMs, int minBytes = 1) =>
        Frame(ApiKey.Fetch, 11, correlationId, w =>
        {
            w.WriteInt32(-1);
            w.WriteInt32(maxWaitMs);
            w.WriteInt32(minBytes);
            w.WriteInt32(52_428_800);
            w.WriteInt8(1);
            w.WriteInt32(0);
            w.WriteInt32(-1);
            w.WriteArrayLength(1);
            w.WriteString(topic);
            w.WriteArrayLength(1);
            w.WriteInt32(partition);
            w.WriteInt32(-1);
            w.WriteInt64(offset);
            w.WriteInt64(-1);
            w.WriteInt32(1_048_576);
            w.WriteArrayLength(0);
            w.WriteString(string.Empty);
        });

    public static byte[] ListOffsets(int correlationId, string topic, long timestamp) =>
        Frame(ApiKey.ListOffsets, 5, correlationId, w =>
        {
            w.WriteInt32(-1);
            w.WriteInt8(1);
            w.WriteArrayLength(1);
            w.WriteString(topic);
            w.WriteArrayLength(1);
            w.WriteInt32(0);
            w.WriteInt32(-1);
            w.WriteInt64(timestamp);
        });

    public static byte[] CreateTopics(int correlationId, string topic, int partitions) =>
        Frame(ApiKey.CreateTopics, 4, correlationId, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString(topic);
            w.WriteInt32(partitions);
            w.WriteInt16(-1);
            w.WriteArrayLength(0);
            w.WriteArrayLength(1);
            w.WriteString("retention.ms");
            w.WriteNullableString("1000");
            w.WriteInt32(1000);
            w.WriteBoolean(false);
        });

    public static byte[] DescribeConfigs(int correlationId, string topic) =>
        Frame(ApiKey.DescribeConfigs, 1, correlationId, w =>
        {
            w.WriteArrayLength(1);
            w.WriteInt8(2);
            w.WriteString(topic);
            w.WriteArrayLength(-1);
            w.WriteBoolean(true);
        });

    public static byte[] InitProducerId(int correlationId) =>
        Frame(ApiKey.InitProducerId, 1, correlationId, w =>
        {
            w.WriteNullableString(null);
            w.WriteInt32(-1);
        });

    public static byte[] DeleteTopics(int correlationId, string topic) =>
        Frame(ApiKey.DeleteTopics, 3, correlationId, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString(topic);
            w.WriteInt32(1000);
        });

    /// <summary>Writes a DeleteRecords body (flexible from v2) deleting before each (partition, offset) of one topic.</summary>
    public static void DeleteRecordsBody(KafkaWriter w, bool flexible, string topic, params (int Partition, long Offset)[] partitions)
    {
        w.WriteArrayLength(1, flexible);
        w.WriteString(topic, flexible);
        w.WriteArrayLength(partitions.Length, flexible);
        foreach (var (partition, offset) in partitions)
        {
            w.WriteInt32(partition);
            w.WriteInt64(offset);
            w.WriteTaggedFields(flexible);
        }

        w.WriteTaggedFields(flexible);
        w.WriteInt32(5000);
        w.WriteTaggedFields(flexible);
    }

    /// <summary>Writes a DescribeAcls body (flexible from v2) filtering on group ACLs of one principal.</summary>
    public static void DescribeAclsBody(KafkaWriter w, short version, bool flexible, string? principal)
    {
        w.WriteInt8(3);
        w.WriteNullableString(null, flexible);
        if (version >= 1)
        {
            w.WriteInt8(1);
        }

        w.WriteNullableString(principal, flexible);
        w.WriteNullableString(null, flexible);
        w.WriteInt8(1);
        w.WriteInt8(1);
        w.WriteTaggedFields(flexible);
    }

    /// <summary>Writes an AlterConfigs or IncrementalAlterConfigs (SET) body setting one config on each resource.</summary>
    public static void AlterConfigsBody(KafkaWriter w, ApiKey key, bool flexible, string config, string value, params (sbyte Type, string Name)[] resources)
    {
        w.WriteArrayLength(resources.Length, flexible);
        foreach (var (type, name) in resources)
        {
            w.WriteInt8(type);
            w.WriteString(name, flexible);
            w.WriteArrayLength(1, flexible);
            w.WriteString(config, flexible);
            if (key == ApiKey.IncrementalAlterConfigs)
            {
                w.WriteInt8(0);
            }

            w.WriteNullableString(value, flexible);
            w.WriteTaggedFields(flexible);
            w.WriteTaggedFields(flexible);
        }

        w.WriteBoolean(false);
        w.WriteTaggedFields(flexible);
    }

    /// <summary>Writes a DescribeConfigs body (flexible from v4) asking for synonyms and documentation where the version has them.</summary>
    public static void DescribeConfigsBody(KafkaWriter w, short version, bool flexible, params (sbyte Type, string Name, string[]? Keys)[] resources)
    {
        w.WriteArrayLength(resources.Length, flexible);
        foreach (var (type, name, keys) in resources)
        {
            w.WriteInt8(type);
            w.WriteString(name, flexible);
            w.WriteArrayLength(keys?.Length ?? -1, flexible);
            foreach (var key in keys ?? [])
            {
                w.WriteString(key, flexible);
            }

            w.WriteTaggedFields(flexible);
        }

        if (version >= 1)
        {
            w.WriteBoolean(true);
        }

        if (version >= 3)
        {
            w.WriteBoolean(true);
        }

        w.WriteTaggedFields(flexible);
    }
}
