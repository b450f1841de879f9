using Microsoft.Extensions.Time.Testing;
using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Tests.Log;

/// <summary>Segment rolling and retention on one partition log, against a fake clock.</summary>
public sealed class RetentionTests
{
    private const long T0 = 1_700_000_000_000;
    private static readonly int BatchBytes = TestBatches.Build(2).Length;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(T0));
    private Dictionary<string, string?> _overrides = [];
    private Dictionary<string, string> _broker = [];

    [Fact]
    public void Append_SegmentBytesWouldBeExceeded_RollsANewSegment()
    {
        var log = Log(new() { ["segment.bytes"] = (2 * BatchBytes).ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Append(log, T0, T0, T0, T0, T0);

        log.SegmentCount.Should().Be(3, "two batches fit a segment exactly; the third starts a new one");
    }

    [Fact]
    public void Append_RecordTimeSegmentMsPastFirstBatch_RollsANewSegment()
    {
        var log = Log(new() { ["segment.ms"] = "1000" });

        Append(log, T0, T0 + 1000, T0 + 1001, T0 + 1500, T0 + 5000);

        log.SegmentCount.Should().Be(3, "Kafka rolls when the new batch's timestamp is more than segment.ms after the segment's first batch");
    }

    [Fact]
    public void ApplyRetention_RetentionMs_DeletesOnlyWholeSegmentsWhoseNewestRecordExpired()
    {
        var log = Log(new() { ["segment.ms"] = "1000", ["retention.ms"] = "60000" });
        Append(log, T0, T0 + 500, T0 + 2000, T0 + 2500, T0 + 70_000);
        _time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 62_001));
        var deletions = new List<BrokerLogDeletion>();

        log.ApplyRetention(deletions);

        deletions.Should().ContainSingle().Which.Should().Be(new BrokerLogDeletion(
            "t", 0, BrokerLogDeletionReason.RetentionTime, "retention.ms", 60_000, 1, 2L * BatchBytes, 0, 4, _time.GetUtcNow()));
        log.LogStartOffset.Should().Be(4, "the segment holding offsets 4-7 has a record at T0+2500, only 59.5 s old");
        log.SegmentCount.Should().Be(2);
        log.Read(3, int.MaxValue, true, []).Error.Should().Be(ErrorCode.OffsetOutOfRange);
        log.Read(4, int.MaxValue, true, []).Error.Should().Be(ErrorCode.None);
    }

    [Fact]
    public void ApplyRetention_DefaultSegments_KeepsEverythingUntilTheNewestRecordExpiresThenDeletesAll()
    {
        var log = Log(new() { ["retention.ms"] = "60000" });
        Append(log, T0, T0 + 30_000);
        var deletions = new List<BrokerLogDeletion>();

        _time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 90_000));
        log.ApplyRetention(deletions);
        deletions.Should().BeEmpty("the one segment's newest record is exactly 60 s old, not older");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        log.ApplyRetention(deletions);

        deletions.Should().ContainSingle().Which.LogStartOffsetAfter.Should().Be(4);
        log.LogStartOffset.Should().Be(4);
        log.HighWatermark.Should().Be(4);
        log.SizeInBytes.Should().Be(0);
        log.Append(TestBatches.Build(2, baseTimestamp: T0 + 100_000), TestBatches.Header(TestBatches.Build(2, baseTimestamp: T0 + 100_000))).BaseOffset.Should().Be(4);
        log.SegmentCount.Should().Be(1);
    }

    [Fact]
    public void ApplyRetention_RetentionBytes_DeletesOldestSegmentsWhileTheRestStillExceedsTheLimit()
    {
        var log = Log(new() { ["segment.bytes"] = BatchBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), ["retention.bytes"] = (2 * BatchBytes + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Append(log, T0, T0, T0, T0, T0);
        var deletions = new List<BrokerLogDeletion>();

        log.ApplyRetention(deletions);

        deletions.Should().ContainSingle().Which.Should().Match<BrokerLogDeletion>(d =>
            d.Reason == BrokerLogDeletionReason.RetentionSize && d.ConfigName == "retention.bytes" && d.Segments == 2 && d.LogStartOffsetAfter == 4);
        log.SizeInBytes.Should().Be(3L * BatchBytes, "deleting a third segment would take the partition below retention.bytes, which Kafka does not do");
    }

    [Fact]
    public void ApplyRetention_CompactOnlyPolicy_DeletesNothing()
    {
        var log = Log(new() { ["cleanup.policy"] = "compact", ["segment.ms"] = "1", ["retention.ms"] = "0", ["retention.bytes"] = "0" });
        Append(log, T0, T0 + 10, T0 + 20);
        _time.Advance(TimeSpan.FromDays(1));
        var deletions = new List<BrokerLogDeletion>();

        log.ApplyRetention(deletions);

        deletions.Should().BeEmpty();
        log.LogStartOffset.Should().Be(0);
    }

    [Fact]
    public void ApplyRetention_BrokerDefaultRetention_AppliesToTopicsWithoutOverride()
    {
        _broker = new() { ["log.retention.ms"] = "1000", ["log.roll.ms"] = "1" };
        var log = Log([]);
        Append(log, T0, T0 + 5000);
        _time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 5500));
        var deletions = new List<BrokerLogDeletion>();

        log.ApplyRetention(deletions);

        deletions.Should().ContainSingle().Which.ConfigValue.Should().Be(1000);
        log.LogStartOffset.Should().Be(2);
    }

    [Fact]
    public void ApplyRetention_RecordsWithoutTimestamps_MeasuresAgeFromTheLastAppend()
    {
        var log = Log(new() { ["retention.ms"] = "1000" });
        var batch = TestBatches.Build(2, baseTimestamp: -1, timestampStep: 0);
        log.Append(batch, TestBatches.Header(batch));
        var deletions = new List<BrokerLogDeletion>();

        _time.Advance(TimeSpan.FromMilliseconds(1000));
        log.ApplyRetention(deletions);
        deletions.Should().BeEmpty();

        _time.Advance(TimeSpan.FromMilliseconds(1));
        log.ApplyRetention(deletions);
        deletions.Should().ContainSingle();
    }

    [Fact]
    public void AdvanceLogStart_InsideASegment_FreesWholeBatchesBelowItAndReportsDeleteRecords()
    {
        var log = Log(new() { ["segment.ms"] = "1000" });
        Append(log, T0, T0 + 10, T0 + 2000);

        var deletion = log.AdvanceLogStart(3);

        deletion.Should().Match<BrokerLogDeletion>(d => d.Reason == BrokerLogDeletionReason.DeleteRecords && d.Segments == 0 && d.Bytes == BatchBytes && d.LogStartOffsetAfter == 3);
        log.SegmentCount.Should().Be(2, "the first segment still holds the batch with offset 3");
        log.AdvanceLogStart(4)!.Segments.Should().Be(1, "now the first segment is wholly below the log start");
        log.AdvanceLogStart(2).Should().BeNull("the log start never moves back");
    }

    private PartitionLog Log(Dictionary<string, string?> overrides)
    {
        _overrides = overrides;
        return new PartitionLog("t", 0, _time, () => TopicConfigSet.Create(_overrides, _broker));
    }

    /// <summary>Appends one two-record batch per timestamp (both records carry it).</summary>
    private static void Append(PartitionLog log, params long[] timestamps)
    {
        foreach (var timestamp in timestamps)
        {
            var batch = TestBatches.Build(2, baseTimestamp: timestamp, timestampStep: 0);
            log.Append(batch, TestBatches.Header(batch)).Error.Should().Be(ErrorCode.None);
        }
    }
}
