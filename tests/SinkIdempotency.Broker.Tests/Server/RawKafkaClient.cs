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
}
