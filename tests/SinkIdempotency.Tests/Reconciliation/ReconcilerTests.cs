using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;
using static SinkIdempotency.Tests.Reconciliation.Records;

namespace SinkIdempotency.Tests.Reconciliation;

public sealed class ReconcilerTests
{
    private readonly Reconciler _reconciler = new();

    [Theory]
    [InlineData(DeclaredSemantics.ExactlyOnceEffect)]
    [InlineData(DeclaredSemantics.AtLeastOnce)]
    [InlineData(DeclaredSemantics.UpsertByKey)]
    public void Reconcile_EveryRecordOnce_IsGreenWithNoAnomaly(DeclaredSemantics semantics)
    {
        var ledger = Sequence(20);
        var report = _reconciler.Reconcile(Input(ledger, semantics, Committed((0, 20))), ledger.Select(Row));

        report.Verdict.Should().Be(Verdict.Green);
        report.Anomalies.Should().OnlyContain(a => a.Count == 0 && a.Examples.Count == 0);
        report.InTarget.Should().Be(20);
        report.TargetRows.Should().Be(20);
        var partition = report.Partitions.Should().ContainSingle().Subject;
        partition.Should().BeEquivalentTo(new { Produced = 20L, CommittedOffset = (long?)20, CommittedPast = 20L, InTarget = 20L });
        partition.CommittedInTargetChecksum.Should().Be(partition.CommittedChecksum).And.NotBe(0UL);
    }

    [Fact]
    public void Reconcile_RecordCommittedPastButAbsent_IsLost()
    {
        var ledger = Sequence(10);
        var rows = ledger.Where(e => e.Offset != 4).Select(Row);

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.AtLeastOnce, Committed((0, 10))), rows);

        report[AnomalyKind.Lost].Count.Should().Be(1);
        report[AnomalyKind.Lost].Examples.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new AnomalyExample(Topic, 0, 4, null, "e-0-4", "absent; committed offset 10"));
        report.Verdict.Should().Be(Verdict.Red);
        report.ForbiddenAnomalies.Should().Equal(AnomalyKind.Lost);
        report.Partitions[0].CommittedInTargetChecksum.Should().NotBe(report.Partitions[0].CommittedChecksum);
        report.Partitions[0].AnomalyCounts.Should().Equal(new Dictionary<AnomalyKind, long> { [AnomalyKind.Lost] = 1 });
    }

    [Fact]
    public void Reconcile_CommittedPastButAbsentWhileTheTargetHadNotSettled_IsUnseenNotLost()
    {
        var ledger = Sequence(10);
        var rows = ledger.Where(e => e.Offset != 4).Select(Row);

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.AtLeastOnce, Committed((0, 10))) with { TargetSettled = false }, rows);

        report[AnomalyKind.Lost].Count.Should().Be(0, "a record may still be on its way while the target changes");
        report[AnomalyKind.Unseen].Examples.Should().ContainSingle().Which.Detail.Should().Be("absent; committed offset 10 is past it, but the target had not settled");
    }

    [Fact]
    public void Reconcile_AbsentAtOrBeyondCommittedOffset_IsUnseenNotLost()
    {
        var ledger = Sequence(10);
        var rows = ledger.Where(e => e.Offset < 6).Select(Row);

        // Offset 6 is the committed offset itself: Kafka commits the next offset to read, so 6 is not done yet.
        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.ExactlyOnceEffect, Committed((0, 6))), rows);

        report[AnomalyKind.Unseen].Count.Should().Be(4);
        report[AnomalyKind.Lost].Count.Should().Be(0);
        report[AnomalyKind.Unseen].Examples.Select(e => e.Offset).Should().Equal(6L, 7L, 8L, 9L);
        report.Verdict.Should().Be(Verdict.Yellow);
    }

    [Fact]
    public void Reconcile_NothingCommittedForPartition_AbsentRecordsAreUnseen()
    {
        var ledger = Sequence(3);

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.ExactlyOnceEffect, []), []);

        report[AnomalyKind.Unseen].Count.Should().Be(3);
        report[AnomalyKind.Unseen].Examples[0].Detail.Should().Be("absent; nothing committed for the partition");
        report.Partitions[0].CommittedOffset.Should().BeNull();
    }

    [Theory]
    [InlineData(DeclaredSemantics.ExactlyOnceEffect, Verdict.Red)]
    [InlineData(DeclaredSemantics.AtLeastOnce, Verdict.Yellow)]
    public void Reconcile_EventWithThreeRows_IsDuplicatedWithTwoExtraRows(DeclaredSemantics semantics, Verdict expected)
    {
        var ledger = Sequence(5);
        var rows = ledger.Select(Row).Append(Row(ledger[2])).Append(Row(ledger[2]));

        var report = _reconciler.Reconcile(Input(ledger, semantics, Committed((0, 5))), rows);

        report[AnomalyKind.Duplicated].Count.Should().Be(1);
        report[AnomalyKind.Duplicated].ExtraRows.Should().Be(2);
        report[AnomalyKind.Duplicated].Examples.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new AnomalyExample(Topic, 0, 2, null, "e-0-2", "3 rows"));
        report.TargetRows.Should().Be(7);
        report.InTarget.Should().Be(5);
        report.Verdict.Should().Be(expected);
    }

    [Fact]
    public void Reconcile_RowsNobodyProduced_AreUnexpectedWithTheirReason()
    {
        var ledger = Sequence(3);
        var altered = Row(ledger[1]) with { ValueHash = ledger[1].ValueHash + 1 };
        var rows = new[] { Row(ledger[0]), altered, Row(ledger[2]), new TargetRow("ghost", "k"), new TargetRow(null) };

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.AtLeastOnce, Committed((0, 3))), rows);

        report[AnomalyKind.Unexpected].Count.Should().Be(3);
        report[AnomalyKind.Unexpected].Examples.Select(e => e.Detail).Should().Equal(
            "content differs from the produced record at orders-0@1",
            "event id was never produced",
            "row has no event id");
        // The altered row does not stand in for the record it claims to be.
        report[AnomalyKind.Lost].Count.Should().Be(1);
        report[AnomalyKind.Lost].Examples[0].EventId.Should().Be("e-0-1");
        report.Verdict.Should().Be(Verdict.Red);
    }

    [Fact]
    public void Reconcile_RowWithoutValueHash_MatchesOnEventIdAlone()
    {
        var ledger = Sequence(2);
        var rows = ledger.Select(e => new TargetRow(e.EventId));

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.ExactlyOnceEffect, Committed((0, 2))), rows);

        report.Verdict.Should().Be(Verdict.Green);
        report.InTarget.Should().Be(2);
    }

    [Fact]
    public void Reconcile_AbsentRecordInDeadLetterTopic_IsDeadLetteredAndYellow()
    {
        var ledger = Sequence(6);
        ledger[3] = ledger[3] with { Poison = true };
        var rows = ledger.Where(e => e.Offset != 3).Select(Row);
        var deadLetters = new[]
        {
            new DeadLetterRecord(ledger[3].Position, "org.apache.kafka.connect.errors.DataException", "Converting byte[] to Kafka Connect data failed"),
            new DeadLetterRecord(new SourcePosition(Topic, 0, 99)),
        };

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.ExactlyOnceEffect, Committed((0, 6))) with { DeadLetters = deadLetters }, rows);

        report[AnomalyKind.DeadLettered].Count.Should().Be(1);
        report[AnomalyKind.DeadLettered].Examples[0].Offset.Should().Be(3);
        report[AnomalyKind.SilentlyDropped].Count.Should().Be(0);
        report.DeadLetterRecords.Should().Be(2);
        report.UnmatchedDeadLetters.Should().Be(1);
        report.Verdict.Should().Be(Verdict.Yellow);
    }

    [Theory]
    [InlineData(true, AnomalyKind.Lost, Verdict.Red)]
    [InlineData(false, AnomalyKind.DeadLettered, Verdict.Yellow)]
    public void Reconcile_OrdinaryRecordInDeadLetterTopic_IsLostOnlyWhenTheLedgerMarksPoison(bool poisonMarked, AnomalyKind expected, Verdict verdict)
    {
        var ledger = Sequence(6);
        var rows = ledger.Where(e => e.Offset != 4).Select(Row);
        var deadLetters = new[] { new DeadLetterRecord(ledger[4].Position) };

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.AtLeastOnce, Committed((0, 6))) with { DeadLetters = deadLetters, PoisonMarked = poisonMarked }, rows);

        report[expected].Count.Should().Be(1);
        report[expected].Examples[0].Detail.Should().Be(poisonMarked ? "absent; dead-lettered although it was produced well-formed" : "in the dead-letter topic");
        report.Verdict.Should().Be(verdict);
    }

    [Fact]
    public void ForbidUnseen_ReportWithUnseenRecords_IsRedWithUnseenForbidden()
    {
        var ledger = Sequence(6);
        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.ExactlyOnceEffect, Committed((0, 2))), ledger.Take(2).Select(Row));
        report.Verdict.Should().Be(Verdict.Yellow);

        var regraded = report.ForbidUnseen();

        regraded.Verdict.Should().Be(Verdict.Red);
        regraded[AnomalyKind.Unseen].Allowed.Should().BeFalse();
        regraded.ForbiddenAnomalies.Should().Equal(AnomalyKind.Unseen);
        regraded[AnomalyKind.Unseen].Count.Should().Be(4);
    }

    [Fact]
    public void Reconcile_PoisonRecordSkippedWithoutDeadLetter_IsSilentlyDropped()
    {
        var ledger = Sequence(6);
        ledger[2] = ledger[2] with { Poison = true };
        var rows = ledger.Where(e => e.Offset != 2).Select(Row);

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.AtLeastOnce, Committed((0, 6))), rows);

        report[AnomalyKind.SilentlyDropped].Count.Should().Be(1);
        report[AnomalyKind.SilentlyDropped].Examples[0].EventId.Should().Be("e-0-2");
        report[AnomalyKind.Lost].Count.Should().Be(0);
        report.Verdict.Should().Be(Verdict.Red);
    }

    [Fact]
    public void Reconcile_PoisonRecordNotCommittedPast_IsUnseen()
    {
        // A task stopped by a poison record (errors.tolerance=none) never commits past it.
        var ledger = Sequence(6);
        ledger[2] = ledger[2] with { Poison = true };
        var rows = ledger.Where(e => e.Offset < 2).Select(Row);

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.ExactlyOnceEffect, Committed((0, 2))), rows);

        report[AnomalyKind.Unseen].Count.Should().Be(4);
        report.Verdict.Should().Be(Verdict.Yellow);
    }

    [Fact]
    public void Reconcile_UpsertWithOlderVersionWinning_IsStaleOncePerKey()
    {
        // Key "a": versions 1..3 at offsets 0..2; the target ended with version 1 (a replay applied an old record last).
        var ledger = new List<LedgerEntry>
        {
            Entry(0, 0, "a", 1), Entry(0, 1, "a", 2), Entry(0, 2, "a", 3),
            Entry(0, 3, "b", 1), Entry(0, 4, "b", 2),
        };
        var rows = new[] { Row(ledger[0]), Row(ledger[4]) };

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.UpsertByKey, Committed((0, 5))), rows);

        report[AnomalyKind.Stale].Count.Should().Be(1);
        report[AnomalyKind.Stale].Examples.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new AnomalyExample(Topic, 0, 2, "a", "e-0-2", "target holds version 1 (event e-0-0); newest committed version 3"));
        report[AnomalyKind.Lost].Count.Should().Be(0);
        report.Superseded.Should().Be(1, "b@1 was overwritten by b@2 as an upsert should");
        report.Partitions[0].AnomalyCounts[AnomalyKind.Stale].Should().Be(2, "two newer records of key a are hidden");
        report.Verdict.Should().Be(Verdict.Red);
    }

    [Fact]
    public void Reconcile_UpsertNewestVersionNotCommitted_IsUnseenNotStale()
    {
        var ledger = new List<LedgerEntry> { Entry(0, 0, "a", 1), Entry(0, 1, "a", 2) };
        var rows = new[] { Row(ledger[0]) };

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.UpsertByKey, Committed((0, 1))), rows);

        report[AnomalyKind.Stale].Count.Should().Be(0);
        report[AnomalyKind.Unseen].Count.Should().Be(1);
        report.Verdict.Should().Be(Verdict.Yellow);
    }

    [Fact]
    public void Reconcile_UpsertTwoRowsForOneKey_IsDuplicatedPerKey()
    {
        var ledger = new List<LedgerEntry> { Entry(0, 0, "a", 1), Entry(0, 1, "a", 2), Entry(0, 2, "c", 1) };
        var rows = ledger.Select(Row);

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.UpsertByKey, Committed((0, 3))), rows);

        report[AnomalyKind.Duplicated].Count.Should().Be(1);
        report[AnomalyKind.Duplicated].ExtraRows.Should().Be(1);
        report[AnomalyKind.Duplicated].Examples[0].Should().BeEquivalentTo(new AnomalyExample(Topic, 0, 1, "a", "e-0-1", "2 rows for the key"));
        report.Verdict.Should().Be(Verdict.Red);
    }

    [Fact]
    public void Reconcile_UpsertKeyWithNoRowAtAll_IsLost()
    {
        var ledger = new List<LedgerEntry> { Entry(0, 0, "a", 1), Entry(0, 1, "a", 2) };

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.UpsertByKey, Committed((0, 2))), []);

        report[AnomalyKind.Lost].Count.Should().Be(2);
        report[AnomalyKind.Stale].Count.Should().Be(0);
    }

    [Fact]
    public void Reconcile_RowVersionDiffersFromLedger_IsUnexpected()
    {
        var ledger = new List<LedgerEntry> { Entry(0, 0, "a", 1) };
        var rows = new[] { Row(ledger[0]) with { Version = 7 } };

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.UpsertByKey, Committed((0, 1))), rows);

        report[AnomalyKind.Unexpected].Examples.Should().ContainSingle().Which.Detail.Should().Be("version 7 differs from the produced version 1");
        report[AnomalyKind.Lost].Count.Should().Be(1);
    }

    [Fact]
    public void Reconcile_DuplicateEventIdInLedger_ThrowsNamingBothPositions()
    {
        var ledger = new List<LedgerEntry> { Entry(0, 0, eventId: "x"), Entry(1, 5, eventId: "x") };

        var act = () => _reconciler.Reconcile(Input(ledger, DeclaredSemantics.AtLeastOnce, []), []);

        act.Should().Throw<ArgumentException>().WithMessage("The ledger holds event id 'x' twice (at orders-0@0 and orders-1@5)*");
    }

    [Fact]
    public void Reconcile_ManyAnomalies_KeepsAtMostTheConfiguredExamplesButCountsAll()
    {
        var ledger = Sequence(100);
        var reconciler = new Reconciler(new ReconcilerOptions { MaxExamplesPerAnomaly = 3 });

        var report = reconciler.Reconcile(Input(ledger, DeclaredSemantics.AtLeastOnce, Committed((0, 100))), []);

        report[AnomalyKind.Lost].Count.Should().Be(100);
        report[AnomalyKind.Lost].Examples.Select(e => e.Offset).Should().Equal(0L, 1L, 2L);
    }

    [Fact]
    public void Reconcile_SeveralPartitions_ReportsFiguresPerPartitionInOrder()
    {
        var ledger = Sequence(4, partition: 1).Concat(Sequence(3, partition: 0)).ToList();
        var rows = ledger.Where(e => !(e.Partition == 1 && e.Offset == 0)).Select(Row);

        var report = _reconciler.Reconcile(Input(ledger, DeclaredSemantics.AtLeastOnce, Committed((0, 3), (1, 2), (2, 0))), rows);

        report.Partitions.Select(p => (p.Partition, p.Produced, p.CommittedOffset, p.CommittedPast, p.InTarget)).Should().Equal(
            (0, 3L, (long?)3, 3L, 3L),
            (1, 4L, (long?)2, 2L, 3L),
            (2, 0L, (long?)0, 0L, 0L));
        report.Partitions[1].AnomalyCounts.Should().Equal(new Dictionary<AnomalyKind, long> { [AnomalyKind.Lost] = 1 });
    }

    [Fact]
    public async Task ReconcileAsync_StreamsReaderRows_SameReportAsInMemory()
    {
        var ledger = Sequence(50);
        var rows = ledger.Where(e => e.Offset % 7 != 0).Select(Row).Append(Row(ledger[3])).ToArray();
        var input = Input(ledger, DeclaredSemantics.ExactlyOnceEffect, Committed((0, 40)));

        var streamed = await _reconciler.ReconcileAsync(input, new InMemoryTargetReader(rows, "rows"), TestContext.Current.CancellationToken);
        var inMemory = _reconciler.Reconcile(input, rows, "rows");

        streamed.Should().BeEquivalentTo(inMemory, o => o.Excluding(r => r.GeneratedAt));
        streamed.TargetChecksum.Should().Be(TargetChecksum.Summarize(rows).Checksum);
    }

    private static ReconciliationInput Input(IReadOnlyList<LedgerEntry> ledger, DeclaredSemantics semantics, Dictionary<SourcePartition, long> committed) =>
        new() { Ledger = ledger, Semantics = semantics, CommittedOffsets = committed };
}
