using System.Buffers.Binary;
using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Tests;

/// <summary>Builds magic-2 record batches byte by byte (uncompressed), for codec and log unit tests.</summary>
internal static class TestBatches
{
    public static byte[] Build(int recordCount, long producerId = -1, short producerEpoch = -1, int baseSequence = -1, long baseTimestamp = 1_700_000_000_000, int timestampStep = 1, short attributes = 0)
    {
        var records = new KafkaWriter();
        for (var i = 0; i < recordCount; i++)
        {
            var body = new KafkaWriter();
            body.WriteInt8(0);
            body.WriteVarLong((long)i * timestampStep);
            body.WriteVarInt(i);
            var key = System.Text.Encoding.UTF8.GetBytes("key-" + i);
            body.WriteVarInt(key.Length);
            body.WriteRaw(key);
            var value = System.Text.Encoding.UTF8.GetBytes("value-" + i);
            body.WriteVarInt(value.Length);
            body.WriteRaw(value);
            body.WriteVarInt(0);
            records.WriteVarInt(body.Length);
            records.WriteRaw(body.WrittenSpan);
        }

        var batch = new byte[RecordBatchHeader.Size + records.Length];
        var span = batch.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(span, 0);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], batch.Length - 12);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], 0);
        span[16] = 2;
        BinaryPrimitives.WriteInt16BigEndian(span[21..], attributes);
        BinaryPrimitives.WriteInt32BigEndian(span[23..], recordCount - 1);
        BinaryPrimitives.WriteInt64BigEndian(span[27..], baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[35..], baseTimestamp + ((long)(recordCount - 1) * timestampStep));
        BinaryPrimitives.WriteInt64BigEndian(span[43..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(span[51..], producerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(span[53..], baseSequence);
        BinaryPrimitives.WriteInt32BigEndian(span[57..], recordCount);
        records.WrittenSpan.CopyTo(span[61..]);
        FixCrc(batch);
        return batch;
    }

    public static void FixCrc(byte[] batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(17), Crc32C.Compute(batch.AsSpan(21)));

    public static RecordBatchHeader Header(byte[] batch) => RecordBatchHeader.Read(batch);
}
