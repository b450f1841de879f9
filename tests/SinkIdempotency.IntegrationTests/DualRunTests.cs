using SinkIdempotency.Assessment;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.IntegrationTests;

/// <summary>
/// The rollback dual run on the embedded environment: the reference sinks side by side are green with the legacy group
/// left where it stopped; a new path that silently drops records (keys ending in 7) is red however perfect its offsets look.
/// </summary>
public sealed class DualRunTests(TestPluginFixture fixture) : IClassFixture<TestPluginFixture>
{
    private static readonly DualRunOptions Options = new() { Workload = new ScenarioWorkload { Records = 300 }, StopBefore = 200 };

    [Fact]
    public async Task RunAsync_ReferenceInsertBesideUpsert_IsGreenAndTheLegacyGroupStaysWhereItStopped()
    {
        var driver = await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);
        var legacy = Named("orders-v1", ReferenceMatrix.PlainInsert);
        var next = Named("orders-v2", ReferenceMatrix.UpsertByKey);

        var run = await DualRun.RunAsync(driver, legacy, next, Options, TestContext.Current.CancellationToken);
        var row = RollbackRule.Evaluate(run, "unused");

        run.Error.Should().BeNull();
        row.Status.Should().Be(AssessmentStatus.Green, row.Summary);
        run.Legacy.Group.Should().NotBe(run.New.Group);
        run.Legacy.Table.Should().NotBe(run.New.Table);
        run.New.Semantics.Should().Be(DeclaredSemantics.UpsertByKey);
        run.ProducedBeforeStop.Should().Be(200);
        run.ProducedAfterStop.Should().Be(100);
        run.StoppedWith.Should().Be("stop");
        run.Legacy.AtAlignment!.InTarget.Should().Be(200);
        run.Legacy.AtEnd!.TargetRows.Should().Be(200, "the stopped legacy path takes nothing more");
        run.Legacy.OffsetsAtEnd.Should().Equal(run.Legacy.OffsetsAtAlignment);
        run.Legacy.OffsetsAtAlignment.Should().Equal(run.New.OffsetsAtAlignment);
        run.New.OffsetsAtEnd.Should().Equal(run.EndAtEnd);
        run.EndAtEnd.Values.Sum().Should().Be(300);
        run.CleanupErrors.Should().BeEmpty();
        (await driver.GetConnectorAsync(run.Legacy.Connector, TestContext.Current.CancellationToken)).State.Should().Be(ConnectorSnapshot.Missing);
        (await driver.GetConnectorAsync(run.New.Connector, TestContext.Current.CancellationToken)).State.Should().Be(ConnectorSnapshot.Missing);
    }

    [Fact]
    public async Task RunAsync_NewPathDropsRecords_IsRedNamingTheLossWhileOffsetsAlign()
    {
        var driver = await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);
        var legacy = Named("orders-v1", ReferenceMatrix.UpsertByCoordinates);
        var next = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = "orders-v2",
            ["connector.class"] = "SinkIdempotency.TestPlugin.DroppingSinkConnector",
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            ["value.converter.schemas.enable"] = "true",
        };

        var run = await DualRun.RunAsync(driver, legacy, next, Options, TestContext.Current.CancellationToken);
        var row = RollbackRule.Evaluate(run, "unused");

        run.Error.Should().BeNull();
        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("the new path (si-").And.MatchRegex("is red beside the legacy path: [1-9][0-9]* lost of 200 records")
            .And.MatchRegex("is red after the legacy path stopped: [1-9][0-9]* lost of 300 records");
        run.New.AtEnd![AnomalyKind.Lost].Count.Should().BeGreaterThan(run.New.AtAlignment![AnomalyKind.Lost].Count, "keys ending in 7 keep being dropped after the stop");
        row.Summary.Should().NotContain("did not align").And.NotContain("the legacy path (");
        run.Legacy.AtAlignment!.Verdict.Should().Be(Verdict.Green);
        run.New.OffsetsAtAlignment.Should().Equal(run.Legacy.OffsetsAtAlignment, "the dropping sink commits past what it dropped");
    }

    private static Dictionary<string, string> Named(string name, IReadOnlyDictionary<string, string> config) =>
        new(config.Append(new("name", name)), StringComparer.Ordinal);
}
