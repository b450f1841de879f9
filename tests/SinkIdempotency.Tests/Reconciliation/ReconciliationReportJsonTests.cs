using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SinkIdempotency.Reconciliation;
using static SinkIdempotency.Tests.Reconciliation.Records;

namespace SinkIdempotency.Tests.Reconciliation;

public sealed class ReconciliationReportJsonTests
{
    [Fact]
    public void ToJson_Report_FollowsSchemaVersionOne()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var ledger = Sequence(4);
        var rows = new[] { Row(ledger[0]), Row(ledger[0]), Row(ledger[1]) };
        var input = new ReconciliationInput { Ledger = ledger, Semantics = DeclaredSemantics.AtLeastOnce, CommittedOffsets = Committed((0, 3)) };
        var report = new Reconciler(new ReconcilerOptions { TimeProvider = clock }).Reconcile(input, rows, "table t");

        using var json = JsonDocument.Parse(ReconciliationReportJson.ToJson(report));
        var root = json.RootElement;

        root.EnumerateObject().Select(p => p.Name).Should().Equal(
            "schemaVersion", "semantics", "verdict", "generatedAt", "target", "forbiddenAnomalies", "allowedAnomalies",
            "counts", "targetChecksum", "anomalies", "partitions");
        root.GetProperty("schemaVersion").GetInt32().Should().Be(1);
        root.GetProperty("semantics").GetString().Should().Be("at-least-once");
        root.GetProperty("verdict").GetString().Should().Be("red");
        root.GetProperty("generatedAt").GetDateTimeOffset().Should().Be(clock.GetUtcNow());
        root.GetProperty("forbiddenAnomalies").EnumerateArray().Select(e => e.GetString()).Should().Equal("lost");
        root.GetProperty("allowedAnomalies").EnumerateArray().Select(e => e.GetString()).Should().Equal("duplicated", "unseen");
        root.GetProperty("counts").GetProperty("targetRows").GetInt64().Should().Be(3);
        root.GetProperty("targetChecksum").GetString().Should().MatchRegex("^[0-9a-f]{16}$");
        root.GetProperty("anomalies").EnumerateObject().Select(p => p.Name).Should().Equal(
            "lost", "duplicated", "unexpected", "stale", "unseen", "dead-lettered", "silently-dropped");
        var duplicated = root.GetProperty("anomalies").GetProperty("duplicated");
        duplicated.GetProperty("count").GetInt64().Should().Be(1);
        duplicated.GetProperty("extraRows").GetInt64().Should().Be(1);
        duplicated.GetProperty("allowed").GetBoolean().Should().BeTrue();
        var example = duplicated.GetProperty("examples")[0];
        example.EnumerateObject().Select(p => p.Name).Should().Equal("topic", "partition", "offset", "key", "eventId", "detail");
        example.GetProperty("key").ValueKind.Should().Be(JsonValueKind.Null);
        example.GetProperty("eventId").GetString().Should().Be("e-0-0");
        var partition = root.GetProperty("partitions")[0];
        partition.GetProperty("committedOffset").GetInt64().Should().Be(3);
        partition.GetProperty("anomalies").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())).Should().Equal(
            ("lost", 1L), ("duplicated", 1L), ("unseen", 1L));
    }
}
