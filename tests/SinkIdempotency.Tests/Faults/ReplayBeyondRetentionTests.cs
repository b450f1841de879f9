using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Tests.Scenarios.Support;
using static SinkIdempotency.Tests.Scenarios.Support.ScenarioFixtures;

namespace SinkIdempotency.Tests.Faults;

public sealed class ReplayBeyondRetentionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(0, 0.5, 0)]
    [InlineData(1, 0.5, 1)]
    [InlineData(2, 0.01, 1)]
    [InlineData(2, 0.99, 1)]
    [InlineData(200, 0.5, 100)]
    [InlineData(201, 0.5, 100)]
    [InlineData(10, 0.999, 9)]
    public void CutOffset_EndAndShare_DeletesTheOlderShareKeepingOneRecord(long end, double share, long expected)
    {
        ReplayBeyondRetention.CutOffset(end, share).Should().Be(expected);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Constructor_ShareOutsideZeroToOne_Throws(double share)
    {
        var act = () => new ReplayBeyondRetention(new ReplayBeyondRetentionOptions { DeletedShare = share });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*above 0 and below 1*");
    }

    [Theory]
    [InlineData(ReplayResetMethod.OffsetsApi)]
    [InlineData(ReplayResetMethod.ConsumerGroup)]
    public async Task RunAsync_RebuildAfterTheCut_IsRedWithExactlyTheDeletedRecordsLost(ReplayResetMethod method)
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("beyond-retention", Insert, DeclaredSemantics.ExactlyOnceEffect)
            .WithFault(new ReplayBeyondRetention(new ReplayBeyondRetentionOptions { Method = method, DeletedShare = 0.3 }));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green, "every record was in the target before the cut");
        var report = result.Report!;
        report.ForbiddenAnomalies.Should().Equal(AnomalyKind.Lost);
        foreach (var partition in report.Partitions)
        {
            var cut = ReplayBeyondRetention.CutOffset(partition.Produced, 0.3);
            cut.Should().BePositive();
            partition.AnomalyCounts[AnomalyKind.Lost].Should().Be(cut, $"partition {partition.Partition} lost offsets 0-{cut - 1}");
            partition.InTarget.Should().Be(partition.Produced - cut);
        }

        report[AnomalyKind.Lost].Count.Should().Be(report.Partitions.Sum(p => ReplayBeyondRetention.CutOffset(p.Produced, 0.3)));
        report[AnomalyKind.Lost].Examples.Should().OnlyContain(e => e.Offset < ReplayBeyondRetention.CutOffset(report.Partitions.Single(p => p.Partition == e.Partition).Produced, 0.3));
        var actions = result.Evidence.OfType<FaultActionEvidence>().ToList();
        actions.Select(a => a.Action).Should().ContainInOrder("stop-connector", "delete-records", "drop-target-table", method == ReplayResetMethod.OffsetsApi ? "reset-offsets-api" : "reset-consumer-group", "resume-connector");
        actions.Single(a => a.Action == "delete-records").Detail.Should().Contain("retention.ms=604800000").And.Contain("partition 0: offsets 0-");
        result.FaultDetail.Should().Contain("a rebuild cannot hold the deleted records");
    }

    [Fact]
    public async Task RunAsync_ReplayOverTheKeptTarget_IsGreenBecauseTheDeletedRecordsWereAlreadyWritten()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("beyond-retention-kept", Upsert, DeclaredSemantics.UpsertByKey)
            .WithFault(new ReplayBeyondRetention(new ReplayBeyondRetentionOptions { RebuildTarget = false }));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        result.Evidence.OfType<FaultActionEvidence>().Select(a => a.Action).Should().Contain("delete-records").And.NotContain("drop-target-table");
    }

    [Fact]
    public async Task RunAsync_UpsertByKeyRebuild_LosesOnlyKeysWhoseEveryVersionWasDeleted()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("beyond-retention-keys", Upsert, DeclaredSemantics.UpsertByKey)
            .WithWorkload(w => w with { Records = 600, Partitions = 3, Keys = 400 })
            .WithFault(new ReplayBeyondRetention());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        // Keys are spread by hash, so which keys keep a newer version is the ledger's business: count it from what was produced.
        var produced = environment.Produced;
        var cut = produced.GroupBy(e => e.Partition).ToDictionary(g => g.Key, g => ReplayBeyondRetention.CutOffset(g.Max(e => e.Offset) + 1, 0.5));
        var keptKeys = produced.Where(e => e.Offset >= cut[e.Partition]).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var expectedLost = produced.Count(e => e.Offset < cut[e.Partition] && !keptKeys.Contains(e.Key));
        expectedLost.Should().BePositive("400 keys over 600 records leave keys whose only versions were deleted");
        expectedLost.Should().BeLessThan((int)cut.Values.Sum(), "some deleted records have a newer version the cut kept");
        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Report!.ForbiddenAnomalies.Should().Equal(AnomalyKind.Lost);
        result.Report[AnomalyKind.Lost].Count.Should().Be(expectedLost);
    }

    [Fact]
    public async Task RunAsync_EnvironmentWithoutDeleteRecords_IsSkippedWithTheReason()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { Capabilities = new SimulatedOptions().Capabilities & ~EnvironmentCapabilities.DeleteRecords });
        var scenario = Make("beyond-retention-skip", Upsert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new ReplayBeyondRetention());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Outcome.Should().Be(ScenarioOutcome.Skipped);
        result.SkipReason.Should().Contain("DeleteRecords");
        environment.Created.Should().BeEmpty();
    }
}
