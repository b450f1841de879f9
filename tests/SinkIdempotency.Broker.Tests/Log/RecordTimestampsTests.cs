using System.IO.Compression;
using K4os.Compression.LZ4.Streams;
using SinkIdempotency.Broker.Log;
using Snappier;

namespace SinkIdempotency.Broker.Tests.Log;

public sealed class RecordTimestampsTests
{
    private static readonly byte[] Payload = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i % 17))];

    [Fact]
    public void Decompress_Gzip_RoundTrips()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Payload);
        }

        RecordTimestamps.Decompress(CompressionCodec.Gzip, output.ToArray()).Should().Equal(Payload);
    }

    [Fact]
    public void Decompress_RawSnappyAsLibrdkafkaWritesIt_RoundTrips() =>
        RecordTimestamps.Decompress(CompressionCodec.Snappy, Snappy.CompressToArray(Payload)).Should().Equal(Payload);

    [Fact]
    public void Decompress_XerialFramedSnappyAsJavaWritesIt_RoundTrips()
    {
        var first = Snappy.CompressToArray(Payload.AsSpan(0, 3000));
        var second = Snappy.CompressToArray(Payload.AsSpan(3000));
        byte[] header = [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1];
        byte[] framed = [.. header, .. Length(first.Length), .. first, .. Length(second.Length), .. second];

        RecordTimestamps.Decompress(CompressionCodec.Snappy, framed).Should().Equal(Payload);
    }

    [Fact]
    public void Decompress_Lz4Frame_RoundTrips()
    {
        using var output = new MemoryStream();
        using (var lz4 = LZ4Stream.Encode(output, leaveOpen: true))
        {
            lz4.Write(Payload);
        }

        RecordTimestamps.Decompress(CompressionCodec.Lz4, output.ToArray()).Should().Equal(Payload);
    }

    [Fact]
    public void Decompress_Zstd_RoundTrips()
    {
        using var compressor = new ZstdSharp.Compressor();
        RecordTimestamps.Decompress(CompressionCodec.Zstd, compressor.Wrap(Payload).ToArray()).Should().Equal(Payload);
    }

    [Fact]
    public void Enumerate_UncompressedBatch_YieldsEveryRecordsOffsetAndTimestamp()
    {
        var batch = TestBatches.Build(4, baseTimestamp: 500, timestampStep: 7);

        RecordTimestamps.Enumerate(batch).Should().Equal((0L, 500L), (1L, 507L), (2L, 514L), (3L, 521L));
    }

    private static byte[] Length(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
