using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4.Streams;
using SinkIdempotency.Broker.Protocol;
using Snappier;
using ZstdSharp;

namespace SinkIdempotency.Broker.Log;

/// <summary>
/// Reads the offset and timestamp of every record in a stored batch, for ListOffsets by timestamp.
/// </summary>
/// <remarks>
/// Decompresses every codec Kafka uses (gzip, snappy raw or xerial-framed, lz4 frames, zstd), capped at
/// 64 MiB per batch; only ListOffsets by timestamp needs this, Produce and Fetch keep batches opaque.
/// </remarks>
internal static class RecordTimestamps
{
    private const int MaxDecompressedBytes = 64 * 1024 * 1024;

    public static List<(long Offset, long Timestamp)> Enumerate(byte[] batch)
    {
        var result = new List<(long, long)>();
        var header = RecordBatchHeader.Read(batch);
        if (header.IsLogAppendTime)
        {
            for (var i = 0; i <= header.LastOffsetDelta; i++)
            {
                result.Add((header.BaseOffset + i, header.MaxTimestamp));
            }

            return result;
        }

        byte[] records;
        switch (header.Compression)
        {
            case CompressionCodec.None:
                records = batch[RecordBatchHeader.Size..header.TotalSize];
                break;
            default:
                records = Decompress(header.Compression, batch.AsSpan(RecordBatchHeader.Size, header.TotalSize - RecordBatchHeader.Size));
                break;
        }

        var reader = new KafkaReader(records);
        for (var i = 0; i < header.RecordCount && !reader.End; i++)
        {
            var length = reader.ReadVarInt();
            var start = reader.Position;
            _ = reader.ReadInt8();
            var timestampDelta = reader.ReadVarLong();
            var offsetDelta = reader.ReadVarInt();
            result.Add((header.BaseOffset + offsetDelta, header.BaseTimestamp + timestampDelta));
            var consumed = reader.Position - start;
            _ = reader.ReadRaw(length - consumed);
        }

        return result;
    }

    /// <summary>Decompresses a batch's records blob.</summary>
    /// <exception cref="ProtocolException">The codec is unknown or the output exceeds 64 MiB.</exception>
    public static byte[] Decompress(CompressionCodec codec, ReadOnlySpan<byte> compressed) => codec switch
    {
        CompressionCodec.Gzip => ReadAll(new GZipStream(new MemoryStream(compressed.ToArray()), CompressionMode.Decompress)),
        CompressionCodec.Snappy => Unsnappy(compressed),
        CompressionCodec.Lz4 => ReadAll(LZ4Stream.Decode(new MemoryStream(compressed.ToArray()))),
        CompressionCodec.Zstd => ReadAll(new DecompressionStream(new MemoryStream(compressed.ToArray()))),
        _ => throw new ProtocolException($"unknown compression codec {(int)codec}"),
    };

    private static byte[] Unsnappy(ReadOnlySpan<byte> compressed)
    {
        // Java clients wrap snappy in xerial framing (magic, version, compat, then length-prefixed blocks);
        // librdkafka writes one raw block. Both appear in Kafka logs.
        ReadOnlySpan<byte> xerialMagic = [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];
        if (!compressed.StartsWith(xerialMagic))
        {
            return UnsnappyBlock(compressed);
        }

        using var output = new MemoryStream();
        var rest = compressed[16..];
        while (rest.Length >= 4)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(rest);
            if (length < 0 || length > rest.Length - 4)
            {
                throw new ProtocolException("truncated xerial snappy block");
            }

            output.Write(UnsnappyBlock(rest.Slice(4, length)));
            if (output.Length > MaxDecompressedBytes)
            {
                throw new ProtocolException("decompressed batch exceeds 64 MiB");
            }

            rest = rest[(4 + length)..];
        }

        return output.ToArray();
    }

    private static byte[] UnsnappyBlock(ReadOnlySpan<byte> block)
    {
        if (Snappy.GetUncompressedLength(block) > MaxDecompressedBytes)
        {
            throw new ProtocolException("decompressed batch exceeds 64 MiB");
        }

        return Snappy.DecompressToArray(block);
    }

    private static byte[] ReadAll(Stream decompressing)
    {
        using (decompressing)
        {
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = decompressing.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxDecompressedBytes)
                {
                    throw new ProtocolException("decompressed batch exceeds 64 MiB");
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
    }
}
