using System.Globalization;
using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests.ForeignKafka;

/// <summary>The embedded environment on a Kafka it did not start (a second in-process broker, reached only by its bootstrap servers) gives the default's known answers.</summary>
public sealed class SecondBrokerTests(SecondBrokerFixture fixture) : IClassFixture<SecondBrokerFixture>
{
    [Fact]
    public async Task CrashAfterTargetWrite_PlainInsert_IsRedAndTheSecondBrokerCarriedTheRun()
    {
        // The run deletes its topic and group at cleanup, so the second broker's part is observed while it runs.
        await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);
        var commits = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var observer = fixture.Broker.ObserveRequests(e =>
        {
            if (e.Request.ApiKey == SinkIdempotency.Broker.Protocol.ApiKey.OffsetCommit && e.Handled && e.Request.GroupId is { } group)
            {
                commits.Enqueue(group);
            }
        });

        var result = await fixture.RunAsync(Scenario("crash-after-target-write/postgres-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
        result.Environment.Should().Be("embedded@second-broker");
        var names = RunNamespace.Create(result.Scenario, result.RunId);
        commits.Should().Contain(names.GroupId, "the sink's consumer group committed its offsets on the second broker");
        fixture.Broker.TopicNames.Should().Contain(t => t.StartsWith("connect-configs-" + fixture.Environment!.ClusterId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CrashAfterTargetWrite_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write/postgres-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.CrashWindow!.RowsAhead.Should().BePositive();
    }

    [Fact]
    public async Task Replay_PlainInsert_IsRedWithTheOffsetsResetThroughTheKafkaAdminApi()
    {
        var result = await fixture.RunAsync(Scenario("replay/postgres-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(1000);
        result.Evidence.OfType<FaultActionEvidence>().Select(e => e.Action).Should().Contain("reset-offsets-api");
    }

    [Fact]
    public async Task Environment_SecondBroker_NoBrokerFaultsAndTheSecretOnNoCommandLine()
    {
        await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);
        var environment = fixture.Environment!;

        environment.Capabilities.Should().NotHaveFlag(EnvironmentCapabilities.BrokerFaults);
        var broker = () => environment.Broker;
        broker.Should().Throw<InvalidOperationException>();
        var workers = await environment.ListWorkersAsync(TestContext.Current.CancellationToken);
        workers.Should().NotBeEmpty();
        foreach (var pid in workers.Where(w => w.IsRunning).Select(w => w.ProcessId!.Value))
        {
            var commandLine = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
            commandLine.Should().Contain(environment.Kafka.BootstrapServers).And.NotContain(SecondBrokerFixture.Secret);
            File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ").Should().Contain(SecondBrokerFixture.Secret, "the worker gets it through its environment");
        }
    }

    private static Scenario Scenario(string name) => ReferenceMatrix.Scenarios.Single(k => k.Name == name).Scenario;
}
