using System.IO.Compression;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Log;

/// <summary>
/// Reads the offset and timestamp of every record in a stored batch, for ListOffsets by timestamp.
/// </summary>
/// <remarks>
/// Uncompressed and gzip batches are decoded (gzip with the BCL). Snappy, lz4 and zstd batches yield
/// nothing: callers then fall back to the batch's first offset and max timestamp.
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
            case CompressionCodec.Gzip:
                records = Gunzip(batch.AsSpan(RecordBatchHeader.Size, header.TotalSize - RecordBatchHeader.Size));
                break;
            default:
                return result;
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

    private static byte[] Gunzip(ReadOnlySpan<byte> compressed)
    {
        using var input = new MemoryStream(compressed.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = gzip.Read(buffer)) > 0)
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
