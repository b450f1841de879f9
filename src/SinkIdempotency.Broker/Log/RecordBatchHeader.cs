using System.Buffers.Binary;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Log;

/// <summary>
/// The fixed 61-byte header of a record batch (magic 2); the records after it stay opaque to the broker.
/// </summary>
internal readonly record struct RecordBatchHeader(
    long BaseOffset,
    int BatchLength,
    int PartitionLeaderEpoch,
    sbyte Magic,
    uint Crc,
    short Attributes,
    int LastOffsetDelta,
    long BaseTimestamp,
    long MaxTimestamp,
    long ProducerId,
    short ProducerEpoch,
    int BaseSequence,
    int RecordCount)
{
    public const int Size = 61;
    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;

    /// <summary>Gets the total size of the batch in bytes (BatchLength counts the bytes after its own field).</summary>
    public int TotalSize => BatchLength + 12;

    public CompressionCodec Compression => (CompressionCodec)(Attributes & 0x07);

    public bool IsLogAppendTime => (Attributes & 0x08) != 0;

    public bool IsTransactional => (Attributes & 0x10) != 0;

    public bool IsControl => (Attributes & 0x20) != 0;

    public bool IsIdempotent => ProducerId >= 0;

    /// <summary>Gets the sequence of the batch's last record (wrapping past int.MaxValue to 0, as Kafka does).</summary>
    public int LastSequence => BaseSequence < 0 ? -1 : (int)(((long)BaseSequence + LastOffsetDelta) % ((long)int.MaxValue + 1));

    /// <summary>Reads the header at the start of <paramref name="batch"/>.</summary>
    /// <exception cref="ProtocolException">Fewer than 61 bytes.</exception>
    public static RecordBatchHeader Read(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < Size)
        {
            throw new ProtocolException($"record batch of {batch.Length} bytes is shorter than its {Size}-byte header");
        }

        return new RecordBatchHeader(
            BinaryPrimitives.ReadInt64BigEndian(batch),
            BinaryPrimitives.ReadInt32BigEndian(batch[8..]),
            BinaryPrimitives.ReadInt32BigEndian(batch[12..]),
            (sbyte)batch[16],
            BinaryPrimitives.ReadUInt32BigEndian(batch[17..]),
            BinaryPrimitives.ReadInt16BigEndian(batch[21..]),
            BinaryPrimitives.ReadInt32BigEndian(batch[23..]),
            BinaryPrimitives.ReadInt64BigEndian(batch[27..]),
            BinaryPrimitives.ReadInt64BigEndian(batch[35..]),
            BinaryPrimitives.ReadInt64BigEndian(batch[43..]),
            BinaryPrimitives.ReadInt16BigEndian(batch[51..]),
            BinaryPrimitives.ReadInt32BigEndian(batch[53..]),
            BinaryPrimitives.ReadInt32BigEndian(batch[57..]));
    }

    /// <summary>
    /// Validates a Produce request's records field: exactly one magic-2 batch with a correct CRC-32C and
    /// consistent counts. Returns the error Kafka returns for the first problem found.
    /// </summary>
    public static ErrorCode Validate(ReadOnlySpan<byte> records, short produceVersion, out RecordBatchHeader header)
    {
        header = default;
        if (records.Length < Size)
        {
            return records.Length == 0 ? ErrorCode.InvalidRecord : ErrorCode.CorruptMessage;
        }

        header = Read(records);
        if (header.Magic != 2)
        {
            return ErrorCode.InvalidRecord;
        }

        if (header.BatchLength < Size - 12 || header.TotalSize > records.Length)
        {
            return ErrorCode.CorruptMessage;
        }

        if (header.TotalSize != records.Length)
        {
            // Produce v3+ must carry exactly one batch per partition (ProduceRequest.validateRecords).
            return ErrorCode.InvalidRecord;
        }

        if (Crc32C.Compute(records[AttributesOffset..header.TotalSize]) != header.Crc)
        {
            return ErrorCode.CorruptMessage;
        }

        if ((int)header.Compression > (int)CompressionCodec.Zstd)
        {
            return ErrorCode.CorruptMessage;
        }

        if (header.Compression == CompressionCodec.Zstd && produceVersion < 7)
        {
            return ErrorCode.UnsupportedCompressionType;
        }

        if (header.RecordCount <= 0 || header.LastOffsetDelta != header.RecordCount - 1 || header.IsControl)
        {
            return ErrorCode.InvalidRecord;
        }

        return ErrorCode.None;
    }
}

/// <summary>The compression codec in bits 0–2 of a batch's attributes.</summary>
internal enum CompressionCodec
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
