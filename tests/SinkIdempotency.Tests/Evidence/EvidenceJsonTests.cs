using SinkIdempotency.Evidence;
using SinkIdempotency.Proxy;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Evidence;

public sealed class EvidenceJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ToJson_EveryEventKind_RoundTripsWithItsTypeName()
    {
        var document = new EvidenceDocument
        {
            Scenario = "orders",
            RunId = "ab12cd34",
            Environment = "embedded",
            Fault = "crash-after-target-write",
            Connector = "si-ab12cd34-orders",
            ConnectorConfig = new Dictionary<string, string> { ["insert.mode"] = "insert" },
            Events =
            [
                new StepEvidence { At = At, Step = "deploy", Message = "started" },
                new OffsetsEvidence { At = At, Step = "stream", Label = "sample", Partitions = [new PartitionOffsets("t", 0, 10, 4)] },
                new ConnectorStateEvidence { At = At, Step = "stream", State = "RUNNING", Tasks = [new TaskStateEvidence(0, "RUNNING", "w:8083", null)] },
                new AssignmentEvidence { At = At, Step = "fault", Before = new Dictionary<string, string?> { ["0"] = "a" }, After = new Dictionary<string, string?> { ["0"] = "b" } },
                new FaultActionEvidence
                {
                    At = At,
                    Step = "fault",
                    Fault = "crash-after-target-write",
                    Action = "kill-worker",
                    Detail = "Killed.",
                    Window = new CrashWindow { WorkerId = "w:8083", Tasks = [0], RowsAhead = 3, Partitions = [new CrashWindowPartition("t", 0, 4, 4, 6, 3)] },
                },
                new ProxyCountersEvidence { At = At, Step = "fault", Behaviour = "Pass", Counters = new TargetFaultProxyCounters(1, 1, 0, 1, 0, 0, 10, 20, 1, 5, 1) },
                new DeadLetterEvidence { At = At, Step = "reconcile", Topic = "dlq", Count = 1, Records = [new DeadLetterRecord(new SourcePosition("t", 0, 5), "E", "bad")] },
                new TargetEvidence { At = At, Step = "reconcile", Target = "table", Rows = 12, Checksum = "00000000000000ff" },
                new WorkerLogEvidence { At = At, Step = "final", WorkerId = "w0", Lines = ["started"] },
            ],
        };

        var json = EvidenceJson.ToJson(document);
        var parsed = EvidenceJson.Parse(json);

        json.Should().Contain("\"schemaVersion\": 1").And.Contain("\"type\": \"fault-action\"").And.Contain("\"rowsAhead\": 3").And.Contain("\"insideWindow\": true");
        parsed.Events.Select(e => e.GetType()).Should().Equal(document.Events.Select(e => e.GetType()));
        parsed.Events.OfType<FaultActionEvidence>().Single().Window!.Partitions.Should().Equal(new CrashWindowPartition("t", 0, 4, 4, 6, 3));
        parsed.Events.OfType<ProxyCountersEvidence>().Single().Counters.Should().Be(new TargetFaultProxyCounters(1, 1, 0, 1, 0, 0, 10, 20, 1, 5, 1));
    }

    [Fact]
    public void Snapshot_EventsAddedOutOfOrder_AreOrderedByTime()
    {
        var timeline = new EvidenceTimeline();
        timeline.Add(new StepEvidence { At = At.AddSeconds(2), Step = "b", Message = "later" });
        timeline.Add(new StepEvidence { At = At, Step = "a", Message = "earlier" });

        timeline.Snapshot().Select(e => e.Step).Should().Equal("a", "b");
        timeline.OfType<StepEvidence>().Should().HaveCount(2);
    }
}
