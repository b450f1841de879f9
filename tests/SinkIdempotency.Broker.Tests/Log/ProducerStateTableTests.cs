using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Tests.Log;

public sealed class ProducerStateTableTests
{
    private readonly ProducerStateTable _table = new();

    [Fact]
    public void Check_UnknownProducerWithNonZeroSequence_Appends() =>
        Check(Batch(7, 0, 5, 3)).Should().Be(SequenceCheck.Append);

    [Fact]
    public void Check_NextSequence_Appends()
    {
        Append(Batch(1, 0, 0, 3), 0);

        Check(Batch(1, 0, 3, 2)).Should().Be(SequenceCheck.Append);
    }

    [Fact]
    public void Check_RetryOfCachedBatch_IsDuplicateWithOriginalOffset()
    {
        Append(Batch(1, 0, 0, 3), 100);
        Append(Batch(1, 0, 3, 3), 103);

        var header = Batch(1, 0, 0, 3);
        _table.Check(header, out var original, out _).Should().Be(SequenceCheck.Duplicate);
        original.Should().Be(100);
    }

    [Fact]
    public void Check_BatchOlderThanFiveRetained_IsOutOfOrder()
    {
        for (var i = 0; i < 6; i++)
        {
            Append(Batch(1, 0, i, 1), i);
        }

        _table.Check(Batch(1, 0, 0, 1), out _, out var error).Should().Be(SequenceCheck.Reject);
        error.Should().Be(ErrorCode.OutOfOrderSequenceNumber);
    }

    [Fact]
    public void Check_SequenceGap_RejectsOutOfOrder()
    {
        Append(Batch(1, 0, 0, 3), 0);

        _table.Check(Batch(1, 0, 5, 1), out _, out var error).Should().Be(SequenceCheck.Reject);
        error.Should().Be(ErrorCode.OutOfOrderSequenceNumber);
    }

    [Fact]
    public void Check_BumpedEpochStartingAtZero_Appends()
    {
        Append(Batch(1, 0, 0, 10), 0);

        Check(Batch(1, 1, 0, 1)).Should().Be(SequenceCheck.Append);
    }

    [Fact]
    public void Check_BumpedEpochNotStartingAtZero_RejectsOutOfOrder()
    {
        Append(Batch(1, 0, 0, 10), 0);

        _table.Check(Batch(1, 1, 4, 1), out _, out var error).Should().Be(SequenceCheck.Reject);
        error.Should().Be(ErrorCode.OutOfOrderSequenceNumber);
    }

    [Fact]
    public void Check_OlderEpoch_RejectsInvalidProducerEpoch()
    {
        Append(Batch(1, 3, 0, 1), 0);

        _table.Check(Batch(1, 2, 1, 1), out _, out var error).Should().Be(SequenceCheck.Reject);
        error.Should().Be(ErrorCode.InvalidProducerEpoch);
    }

    [Fact]
    public void Record_NewEpoch_ForgetsOldEpochBatches()
    {
        Append(Batch(1, 0, 0, 2), 0);
        Append(Batch(1, 1, 0, 2), 2);

        _table.TryGet(1, out var epoch, out var last).Should().BeTrue();
        epoch.Should().Be(1);
        last.Should().Be(1);
        _table.Check(Batch(1, 1, 0, 2), out var original, out _).Should().Be(SequenceCheck.Duplicate);
        original.Should().Be(2);
    }

    [Fact]
    public void Check_NonIdempotentBatch_AlwaysAppends()
    {
        var plain = RecordBatchHeader.Read(TestBatches.Build(2));

        Check(plain).Should().Be(SequenceCheck.Append);
        _table.Record(plain, 0);
        _table.Count.Should().Be(0);
    }

    private static RecordBatchHeader Batch(long pid, short epoch, int baseSequence, int count) =>
        RecordBatchHeader.Read(TestBatches.Build(count, pid, epoch, baseSequence));

    private SequenceCheck Check(RecordBatchHeader header) => _table.Check(header, out _, out _);

    private void Append(RecordBatchHeader header, long baseOffset)
    {
        _table.Check(header, out _, out _).Should().Be(SequenceCheck.Append);
        _table.Record(header, baseOffset);
    }
}
