using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Scenarios;

public sealed class TaskFailureAttributionTests
{
    private const string Topic = "si-1234abcd-orders";

    private static readonly IReadOnlyList<LedgerEntry> Ledger =
    [
        Entry(0, 0, "8a1e0f52-0000-4000-8000-000000000000"),
        Entry(0, 1, "8a1e0f52-0000-4000-8000-000000000001"),
        Entry(0, 2, "8a1e0f52-0000-4000-8000-000000000002", poison: true),
        Entry(0, 3, "8a1e0f52-0000-4000-8000-000000000003"),
        Entry(1, 0, "8a1e0f52-0000-4000-8000-000000000010"),
        Entry(1, 1, "8a1e0f52-0000-4000-8000-000000000011"),
    ];

    [Theory]
    [InlineData("where consumed record is {topic='si-1234abcd-orders', partition=0, offset=2}.")]
    [InlineData("ConsumerRecord(topic = si-1234abcd-orders, partition = 0, leaderEpoch = null, offset = 2, CreateTime = 1)")]
    [InlineData("record si-1234abcd-orders-0@2 refused")]
    [InlineData("Batch entry 0 INSERT INTO \"t\" VALUES (('8A1E0F52-0000-4000-8000-000000000002'), ('x')) was aborted")]
    public void Attribute_TraceNamesThePoisonRecord_IsCausedByPoison(string line)
    {
        var failure = Attribute("org.apache.kafka.connect.errors.ConnectException: boom\n" + line + "\n\tat frame", []);

        failure.CausedByPoison.Should().BeTrue();
        failure.Poison.Should().Be(new SourcePosition(Topic, 0, 2));
        failure.Attribution.Should().Be("the trace names poison record si-1234abcd-orders-0@2 (event 8a1e0f52-0000-4000-8000-000000000002)");
    }

    [Fact]
    public void Attribute_TraceNamesAnOrdinaryRecord_IsNotCausedByPoisonWhateverTheOffsets()
    {
        var failure = Attribute("ConnectException: boom where consumed record is {topic='si-1234abcd-orders', partition=1, offset=0}.", Committed((0, 2)));

        failure.CausedByPoison.Should().BeFalse();
        failure.Poison.Should().BeNull();
        failure.Attribution.Should().Be("the trace names record si-1234abcd-orders-1@0 (event 8a1e0f52-0000-4000-8000-000000000010), which the scenario produced well-formed");
    }

    [Fact]
    public void Attribute_TraceNamesNothingAndCommittedOffsetStopsAtThePoison_IsCausedByPoison()
    {
        var failure = Attribute("ConnectException: The target refused a record: integer out of range", Committed((0, 2), (1, 2)));

        failure.CausedByPoison.Should().BeTrue();
        failure.Attribution.Should().Be("the trace names no record, and partition 0's committed offset stops exactly at poison record si-1234abcd-orders-0@2 (event 8a1e0f52-0000-4000-8000-000000000002)");
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(3L)]
    public void Attribute_TraceNamesNothingAndCommittedOffsetElsewhere_IsNotCausedByPoison(long committed)
    {
        var failure = Attribute("ConnectException: boom", Committed((0, committed)));

        failure.CausedByPoison.Should().BeFalse();
        failure.Attribution.Should().Be("the trace names no poison record, and no partition's committed offset stops at one");
    }

    [Fact]
    public void Attribute_NothingReachedTheTarget_IsNotCausedByPoisonEvenWhenTheTraceNamesIt()
    {
        var failure = TaskFailureAttribution.Attribute(Failure("where consumed record is {topic='si-1234abcd-orders', partition=0, offset=2}."), Topic, Ledger, Committed(), recordsInTarget: 0);

        failure.CausedByPoison.Should().BeFalse();
        failure.Attribution.Should().EndWith("but no record reached the target: a sink that writes nothing stops the same way; place the poison after some good records");
    }

    [Fact]
    public void Attribute_LedgerWithoutPoison_IsNotCausedByPoison()
    {
        var ledger = Ledger.Select(e => e with { Poison = false }).ToList();

        var failure = TaskFailureAttribution.Attribute(Failure("boom"), Topic, ledger, Committed((0, 2)), recordsInTarget: 5);

        failure.CausedByPoison.Should().BeFalse();
        failure.Attribution.Should().Be("the scenario produced no poison record, so none explains it");
    }

    [Fact]
    public void NamedRecords_OtherTopicWithTheSamePrefix_IsNotNamed()
    {
        var named = TaskFailureAttribution.NamedRecords("topic='si-1234abcd-orders-dlq', partition=0, offset=2 and si-1234abcd-orders-dlq-0@2", Topic, Ledger);

        named.Should().BeEmpty();
    }

    private static TaskFailure Attribute(string trace, Dictionary<SourcePartition, long> committed) =>
        TaskFailureAttribution.Attribute(Failure(trace), Topic, Ledger, committed, recordsInTarget: 3);

    private static TaskFailure Failure(string trace) => new() { Task = 0, At = DateTimeOffset.UnixEpoch, Trace = trace };

    private static Dictionary<SourcePartition, long> Committed(params (int Partition, long Offset)[] offsets) =>
        offsets.ToDictionary(o => new SourcePartition(Topic, o.Partition), o => o.Offset);

    private static LedgerEntry Entry(int partition, long offset, string eventId, bool poison = false) =>
        new(eventId, Topic, partition, offset, null, null, 1, DateTimeOffset.UnixEpoch) { Poison = poison };
}
