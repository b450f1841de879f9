using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Rebuilds the reference sink's target from the embedded broker after DeleteRecords cut the older half of each partition.</summary>
public sealed class ReplayBeyondRetentionTests(EmbeddedEnvironmentFixture fixture) : IClassFixture<EmbeddedEnvironmentFixture>
{
    [Fact]
    public async Task ReplayBeyondRetention_RebuildOfAnIdempotentSink_LosesExactlyTheDeletedOffsets()
    {
        var scenario = ReferenceMatrix.Make("replay-beyond-retention/postgres-upsert", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new ReplayBeyondRetention());

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green, "the sink had written every record before the cut");
        var report = result.Report!;
        report.ForbiddenAnomalies.Should().Equal(AnomalyKind.Lost);
        report.Partitions.Should().NotBeEmpty();
        foreach (var partition in report.Partitions)
        {
            var cut = ReplayBeyondRetention.CutOffset(partition.Produced, 0.5);
            partition.AnomalyCounts[AnomalyKind.Lost].Should().Be(cut, $"partition {partition.Partition} lost offsets 0-{cut - 1} and nothing else");
            partition.InTarget.Should().Be(partition.Produced - cut, "the rebuild holds every record from the log start on");
            partition.CommittedOffset.Should().Be(partition.Produced);
        }

        report[AnomalyKind.Lost].Examples.Should().OnlyContain(e => e.Offset < ReplayBeyondRetention.CutOffset(report.Partitions.Single(p => p.Partition == e.Partition).Produced, 0.5));

        // The embedded broker describes the topic's retention (its 7-day default), and the worker resets through the offsets API.
        var actions = result.Evidence.OfType<FaultActionEvidence>().ToList();
        actions.Single(a => a.Action == "delete-records").Detail.Should().Contain("retention.ms=604800000").And.Contain("log start now");
        actions.Select(a => a.Action).Should().ContainInOrder("delete-records", "drop-target-table", "reset-offsets-api", "resume-connector");
    }
}
