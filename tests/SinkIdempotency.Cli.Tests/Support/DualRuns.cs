using SinkIdempotency.Assessment;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Cli.Tests.Support;

/// <summary>Builds rollback dual-run results by hand for the fake runner: two partitions, 200 records before the stop and 100 after.</summary>
internal static class DualRuns
{
    public static DualRunResult Make(IReadOnlyDictionary<string, string> legacy, IReadOnlyDictionary<string, string> next, long newLost = 0)
    {
        const string topic = "si-abcd1234-rollback";
        Dictionary<SourcePartition, long> Offsets(long each) => new() { [new(topic, 0)] = each, [new(topic, 1)] = each };
        ReconciliationReport Report(long produced, long lost = 0) =>
            Results.Make(Scenario.Named("dual"), lost > 0 ? Verdict.Red : Verdict.Green, produced: produced, lost: lost).Report!;
        return new DualRunResult(
            topic,
            new DualRunPath("legacy", "si-abcd1234-legacy-" + legacy["name"], "t_legacy", DeclaredSemantics.ExactlyOnceEffect)
            {
                AtAlignment = Report(200),
                OffsetsAtAlignment = Offsets(100),
                AtEnd = Report(200),
                OffsetsAtEnd = Offsets(100),
            },
            new DualRunPath("new", "si-abcd1234-new-" + next["name"], "t_new", DeclaredSemantics.ExactlyOnceEffect)
            {
                AtAlignment = Report(200),
                OffsetsAtAlignment = Offsets(100),
                AtEnd = Report(300, newLost),
                OffsetsAtEnd = Offsets(150),
            })
        {
            ProducedBeforeStop = 200,
            ProducedAfterStop = 100,
            EndAtAlignment = Offsets(100),
            EndAtEnd = Offsets(150),
            Timeout = TimeSpan.FromSeconds(90),
            StoppedWith = "stop",
        };
    }
}
