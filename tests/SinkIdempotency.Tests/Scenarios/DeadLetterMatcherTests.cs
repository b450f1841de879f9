using System.Text;
using SinkIdempotency.Kafka;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Scenarios;

public sealed class DeadLetterMatcherTests
{
    private const string Topic = "si-1234abcd-orders";

    private static readonly DateTimeOffset RunStart = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<LedgerEntry> Ledger =
    [
        new("0c4f6a5e-1111-4000-8000-000000000001", Topic, 0, 7, "k1", 1, 1, RunStart.AddSeconds(1)) { Poison = true },
        new("0c4f6a5e-1111-4000-8000-000000000002", Topic, 1, 9, "k2", 1, 2, RunStart.AddSeconds(1)) { Poison = true },
    ];

    [Fact]
    public void Match_ContextHeaders_MatchTheRunsTopicAndLeaveOtherTopicsOut()
    {
        var records = new[]
        {
            Record(RunStart.AddSeconds(2), value: "x", headers: [("__connect.errors.topic", Topic), ("__connect.errors.partition", "0"), ("__connect.errors.offset", "7")]),
            Record(RunStart.AddSeconds(2), value: "y", headers: [("__connect.errors.topic", "other-topic"), ("__connect.errors.partition", "0"), ("__connect.errors.offset", "7")]),
        };

        var (matched, unidentified) = DeadLetterMatcher.Match(records, Topic, Ledger, RunStart);

        matched.Should().ContainSingle().Which.Source.Should().Be(new SourcePosition(Topic, 0, 7));
        unidentified.Should().Be(0);
    }

    [Fact]
    public void Match_NoHeaders_MatchesByTheEventIdInTheValueEvenAfterGarbageBytes()
    {
        byte[] garbage = [0xFF, 0xFE, 0x00, .. Encoding.ASCII.GetBytes(" 0c4f6a5e-1111-4000-8000-000000000002")];
        var records = new[]
        {
            Record(RunStart.AddSeconds(2), value: "{\"payload\":{\"event_id\":\"0C4F6A5E-1111-4000-8000-000000000001\"}}"),
            new DeadLetterTopicRecord(new SourcePosition("dlq", 0, 1), null, garbage, RunStart.AddSeconds(2), []),
        };

        var (matched, unidentified) = DeadLetterMatcher.Match(records, Topic, Ledger, RunStart);

        matched.Select(m => m.Source).Should().Equal(new SourcePosition(Topic, 0, 7), new SourcePosition(Topic, 1, 9));
        unidentified.Should().Be(0);
    }

    [Fact]
    public void Match_NoHeadersAndOlderThanTheRun_IsLeftOut()
    {
        var records = new[] { Record(RunStart.AddSeconds(-5), value: "0c4f6a5e-1111-4000-8000-000000000001") };

        var (matched, unidentified) = DeadLetterMatcher.Match(records, Topic, Ledger, RunStart);

        matched.Should().BeEmpty("a shared topic may hold an earlier run's records with the same event ids");
        unidentified.Should().Be(0);
    }

    [Fact]
    public void Match_NoHeadersAndNoEventId_IsCountedAsUnidentified()
    {
        var records = new[] { Record(RunStart.AddSeconds(2), value: "not ours") };

        var (matched, unidentified) = DeadLetterMatcher.Match(records, Topic, Ledger, RunStart);

        matched.Should().BeEmpty();
        unidentified.Should().Be(1);
    }

    private static DeadLetterTopicRecord Record(DateTimeOffset timestamp, string value, params (string Key, string Value)[] headers) =>
        new(new SourcePosition("dlq", 0, 0), null, Encoding.UTF8.GetBytes(value), timestamp, [.. headers.Select(h => new KeyValuePair<string, string?>(h.Key, h.Value))]);
}
