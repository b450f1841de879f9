using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Runs known answers against the files targets on the embedded environment: the worker's file sink appending lines (known bad) or writing deterministic objects by temp file and rename (known good), read back from the run's folder.</summary>
public sealed class FilesKnownAnswerTests(EmbeddedEnvironmentFixture fixture) : IClassFixture<EmbeddedEnvironmentFixture>
{
    [Fact]
    public async Task Replay_Append_IsRedWithEveryRecordDuplicated()
    {
        var result = await fixture.RunAsync(Scenario("replay", deterministic: false));

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green);
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(1000);
        await ShouldHaveReadTheRunsFolderAsync(result, ScenarioTarget.FilesAppendKind);
    }

    [Fact]
    public async Task Replay_Deterministic_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("replay", deterministic: true));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.Report!.InTarget.Should().Be(1000);
        await ShouldHaveReadTheRunsFolderAsync(result, ScenarioTarget.FilesDeterministicKind);
    }

    [Fact]
    public async Task CrashAfterTargetWrite_Append_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write", deterministic: false));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
        result.CrashWindow.Frozen.Should().BeTrue("the kill is placed on a frozen worker, so no commit can overtake it");
    }

    [Fact]
    public async Task CrashAfterTargetWrite_Deterministic_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write", deterministic: true));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.CrashWindow!.RowsAhead.Should().BePositive("objects were renamed into place before their offsets were committed");
        result.Report!.InTarget.Should().Be(1000);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CrashAfterOffsetCommit_ReferenceSink_IsGreenWithTheFinding(bool deterministic)
    {
        // Append mode writes and flushes each batch inside put; deterministic mode returns from preCommit only the offsets of
        // objects already renamed into place: in neither do committed offsets run ahead of the files, so the loss window never opens.
        var result = await fixture.RunAsync(Scenario("crash-after-offset-commit", deterministic));

        result.Should().BeGreen();
        result.Outcome.Should().Be(ScenarioOutcome.WindowNeverOpened);
        result.Finding.Should().Be("no commit ran ahead of the target in 1000 records");
        result.CrashWindow.Should().BeNull();
        await ShouldHaveReadTheRunsFolderAsync(result, deterministic ? ScenarioTarget.FilesDeterministicKind : ScenarioTarget.FilesAppendKind);
    }

    [Fact]
    public async Task TargetTimeout_OnFiles_IsRefusedBeforeAnythingIsCreated()
    {
        var act = () => fixture.RunAsync(Scenario("target-timeout", deterministic: false));

        (await act.Should().ThrowAsync<ScenarioConfigurationException>()).Which.Message.Should().Contain("no network path").And.Contain("target-timeout");
    }

    private static Scenario Scenario(string fault, bool deterministic) =>
        ReferenceMatrix.Make($"{fault}/{(deterministic ? "files-det" : "files-append")}", ReferenceMatrix.FileSink, DeclaredSemantics.ExactlyOnceEffect, FaultCatalog.Find(fault)!.Reference())
            .WithTarget(ScenarioTarget.Files(deterministic, ReferenceMatrix.Mapping));

    // The rows were read from files under the environment's files root, and the run's folder is gone afterwards.
    private async Task ShouldHaveReadTheRunsFolderAsync(ScenarioResult result, string kind)
    {
        var driver = await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);
        var root = ((EmbeddedEnvironment)driver.Environment!).FilesRoot;
        root.Should().NotBeNull();
        result.Evidence.OfType<TargetEvidence>().Should().Contain(e => e.Target.StartsWith("JSON-lines files under " + root, StringComparison.Ordinal));
        Directory.GetDirectories(root!).Should().BeEmpty($"the {kind} target deletes each run's folder when the run is cleaned up");
    }
}
