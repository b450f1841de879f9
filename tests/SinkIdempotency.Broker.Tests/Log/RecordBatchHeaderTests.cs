using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Tests.Log;

public sealed class RecordBatchHeaderTests
{
    [Fact]
    public void Read_BuiltBatch_ReturnsHeaderFields()
    {
        var batch = TestBatches.Build(3, producerId: 42, producerEpoch: 2, baseSequence: 10);

        var header = RecordBatchHeader.Read(batch);

        header.Magic.Should().Be(2);
        header.RecordCount.Should().Be(3);
        header.LastOffsetDelta.Should().Be(2);
        header.ProducerId.Should().Be(42);
        header.ProducerEpoch.Should().Be(2);
        header.BaseSequence.Should().Be(10);
        header.LastSequence.Should().Be(12);
        header.TotalSize.Should().Be(batch.Length);
        header.Compression.Should().Be(CompressionCodec.None);
    }

    [Fact]
    public void LastSequence_NearIntMax_WrapsToZeroLikeKafka()
    {
        var batch = TestBatches.Build(3, producerId: 1, producerEpoch: 0, baseSequence: int.MaxValue - 1);

        RecordBatchHeader.Read(batch).LastSequence.Should().Be(0);
    }

    [Fact]
    public void Validate_WellFormedBatch_ReturnsNone() =>
        RecordBatchHeader.Validate(TestBatches.Build(5), 7, out _).Should().Be(ErrorCode.None);

    [Fact]
    public void Validate_FlippedRecordByte_ReturnsCorruptMessage()
    {
        var batch = TestBatches.Build(5);
        batch[^3] ^= 0x40;

        RecordBatchHeader.Validate(batch, 7, out _).Should().Be(ErrorCode.CorruptMessage);
    }

    [Fact]
    public void Validate_MagicOne_ReturnsInvalidRecord()
    {
        var batch = TestBatches.Build(1);
        batch[16] = 1;

        RecordBatchHeader.Validate(batch, 7, out _).Should().Be(ErrorCode.InvalidRecord);
    }

    [Fact]
    public void Validate_TwoBatchesInOnePartition_ReturnsInvalidRecord()
    {
        var one = TestBatches.Build(2);

        RecordBatchHeader.Validate([.. one, .. one], 7, out _).Should().Be(ErrorCode.InvalidRecord);
    }

    [Fact]
    public void Validate_TruncatedBatch_ReturnsCorruptMessage()
    {
        var batch = TestBatches.Build(4);

        RecordBatchHeader.Validate(batch.AsSpan(0, batch.Length - 1), 7, out _).Should().Be(ErrorCode.CorruptMessage);
    }

    [Fact]
    public void Validate_ZstdOnProduceV6_ReturnsUnsupportedCompressionType()
    {
        var batch = TestBatches.Build(1, attributes: (short)CompressionCodec.Zstd);

        RecordBatchHeader.Validate(batch, 6, out _).Should().Be(ErrorCode.UnsupportedCompressionType);
        RecordBatchHeader.Validate(batch, 7, out _).Should().Be(ErrorCode.None);
    }

    [Fact]
    public void Validate_RecordCountDisagreesWithLastOffsetDelta_ReturnsInvalidRecord()
    {
        var batch = TestBatches.Build(3);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(57), 5);
        TestBatches.FixCrc(batch);

        RecordBatchHeader.Validate(batch, 7, out _).Should().Be(ErrorCode.InvalidRecord);
    }
}
