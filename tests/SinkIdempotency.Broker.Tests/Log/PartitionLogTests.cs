using System.Buffers.Binary;
using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Tests.Log;

public sealed class PartitionLogTests
{
    private readonly PartitionLog _log = new("t", 0);

    [Fact]
    public void Append_TwoBatches_AssignsConsecutiveBaseOffsetsAndPatchesStoredCopy()
    {
        var first = Append(TestBatches.Build(3));
        var second = Append(TestBatches.Build(2));

        first.BaseOffset.Should().Be(0);
        second.BaseOffset.Should().Be(3);
        _log.HighWatermark.Should().Be(5);
        var output = new List<ReadOnlyMemory<byte>>();
        _log.Read(3, int.MaxValue, true, output);
        BinaryPrimitives.ReadInt64BigEndian(output[0].Span).Should().Be(3);
        Crc32C.Compute(output[0].Span[21..]).Should().Be(BinaryPrimitives.ReadUInt32BigEndian(output[0].Span[17..]), "patching the base offset must not break the CRC");
    }

    [Fact]
    public void Read_OffsetInsideBatch_ReturnsTheContainingBatch()
    {
        Append(TestBatches.Build(3));
        Append(TestBatches.Build(3));
        var output = new List<ReadOnlyMemory<byte>>();

        var result = _log.Read(4, int.MaxValue, true, output);

        result.Error.Should().Be(ErrorCode.None);
        output.Should().HaveCount(1);
        BinaryPrimitives.ReadInt64BigEndian(output[0].Span).Should().Be(3);
    }

    [Fact]
    public void Read_LimitSmallerThanFirstBatch_StillReturnsOneWholeBatchWhenMinOne()
    {
        var size = TestBatches.Build(3).Length;
        Append(TestBatches.Build(3));
        Append(TestBatches.Build(3));
        var output = new List<ReadOnlyMemory<byte>>();

        _log.Read(0, 10, minOneBatch: true, output).Bytes.Should().Be(size);
        output.Should().HaveCount(1);

        output.Clear();
        _log.Read(0, 10, minOneBatch: false, output).Bytes.Should().Be(0);
        output.Should().BeEmpty();
    }

    [Fact]
    public void Read_LimitFitsOneAndAHalfBatches_ReturnsOnlyWholeBatches()
    {
        var size = TestBatches.Build(3).Length;
        Append(TestBatches.Build(3));
        Append(TestBatches.Build(3));
        var output = new List<ReadOnlyMemory<byte>>();

        _log.Read(0, size + (size / 2), true, output);

        output.Should().HaveCount(1);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void Read_OutsideTheLog_ReturnsOffsetOutOfRange(long offset)
    {
        Append(TestBatches.Build(3));

        _log.Read(offset, int.MaxValue, true, []).Error.Should().Be(ErrorCode.OffsetOutOfRange);
    }

    [Fact]
    public void Read_AtHighWatermark_ReturnsEmptyWithoutError()
    {
        Append(TestBatches.Build(3));
        var output = new List<ReadOnlyMemory<byte>>();

        var result = _log.Read(3, int.MaxValue, true, output);

        result.Error.Should().Be(ErrorCode.None);
        result.HighWatermark.Should().Be(3);
        output.Should().BeEmpty();
    }

    [Fact]
    public void AdvanceLogStart_DropsWholeBatchesBeforeItAndRejectsOlderFetches()
    {
        Append(TestBatches.Build(3));
        Append(TestBatches.Build(3));

        _log.AdvanceLogStart(4);

        _log.LogStartOffset.Should().Be(4);
        _log.BatchCount.Should().Be(1);
        _log.Read(2, int.MaxValue, true, []).Error.Should().Be(ErrorCode.OffsetOutOfRange);
        _log.Read(4, int.MaxValue, true, []).Error.Should().Be(ErrorCode.None);
    }

    [Fact]
    public async Task WaitForAppendAsync_AtEnd_CompletesOnlyAfterAppend()
    {
        Append(TestBatches.Build(1));
        var wait = _log.WaitForAppendAsync(1);
        wait.IsCompleted.Should().BeFalse();

        Append(TestBatches.Build(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        _log.WaitForAppendAsync(1).IsCompleted.Should().BeTrue("data past offset 1 exists now");
    }

    [Fact]
    public void Append_DuplicateIdempotentBatch_ReturnsOriginalOffsetWithoutAppending()
    {
        Append(TestBatches.Build(2));
        var batch = TestBatches.Build(3, producerId: 9, producerEpoch: 0, baseSequence: 0);

        var first = Append(batch);
        var retry = Append(batch);

        first.BaseOffset.Should().Be(2);
        retry.Error.Should().Be(ErrorCode.None);
        retry.BaseOffset.Should().Be(2);
        _log.HighWatermark.Should().Be(5);
    }

    [Fact]
    public void FindOffsetByTimestamp_UncompressedRecords_FindsFirstRecordAtOrAfter()
    {
        Append(TestBatches.Build(5, baseTimestamp: 1000, timestampStep: 10));
        Append(TestBatches.Build(5, baseTimestamp: 2000, timestampStep: 10));

        _log.FindOffsetByTimestamp(1015).Should().Be((2L, 1020L));
        _log.FindOffsetByTimestamp(1041).Should().Be((5L, 2000L));
        _log.FindOffsetByTimestamp(0).Should().Be((0L, 1000L));
        _log.FindOffsetByTimestamp(5000).Should().Be((-1L, -1L));
    }

    private AppendResult Append(byte[] batch)
    {
        RecordBatchHeader.Validate(batch, 7, out var header).Should().Be(ErrorCode.None);
        return _log.Append(batch, header);
    }
}
