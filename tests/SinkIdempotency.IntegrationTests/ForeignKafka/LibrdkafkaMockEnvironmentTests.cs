using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.IntegrationTests.ForeignKafka;

/// <summary>What the environment tells about librdkafka's mock cluster: its name, its capabilities, and why the replay cannot run there.</summary>
[Collection<LibrdkafkaMockCollection>]
public sealed class LibrdkafkaMockEnvironmentTests(LibrdkafkaMockFixture fixture)
{
    [Fact]
    public async Task Replay_OnTheMockCluster_IsSkippedNamingTheApisTheMockLacks()
    {
        var environment = await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);
        var scenario = ReferenceMatrix.Scenarios.Single(s => s.Name == "replay/postgres-insert").Scenario;

        var result = await new ScenarioRunner(environment, new ScenarioRunnerOptions { OutputDirectory = Path.Combine(AppContext.BaseDirectory, "sink-idempotency-results") })
            .RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Outcome.Should().Be(ScenarioOutcome.Skipped);
        result.SkipReason.Should().Be(
            "Replay needs the offsets API or a consumer group reset, and the environment has neither. (embedded@librdkafka-mock environment) "
            + $"The Kafka at {fixture.Cluster.BootstrapServers} does not serve DeleteGroups (42), OffsetDelete (47), DescribeGroups (15), so neither a consumer-group reset nor Connect's offsets API can move the connector's offsets there.");
    }

    [Fact]
    public async Task Capabilities_OnTheMockCluster_KeepWorkerAndTargetFaultsAndDropBrokerFaultsAndResets()
    {
        var environment = await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);
        var embedded = fixture.Environment!;

        environment.Name.Should().Be("embedded@librdkafka-mock");
        environment.Capabilities.Should().HaveFlag(EnvironmentCapabilities.KillWorker).And.HaveFlag(EnvironmentCapabilities.AddWorker)
            .And.HaveFlag(EnvironmentCapabilities.TargetFaultProxy).And.HaveFlag(EnvironmentCapabilities.WorkerLogs)
            .And.NotHaveFlag(EnvironmentCapabilities.ConsumerGroupReset).And.NotHaveFlag(EnvironmentCapabilities.OffsetsApi);
        embedded.Capabilities.Should().NotHaveFlag(EnvironmentCapabilities.BrokerFaults);
        embedded.KafkaApis!.Missing(ApiKey.CreateTopics, ApiKey.DeleteGroups, ApiKey.DescribeGroups).Should().HaveCount(3);
    }
}
