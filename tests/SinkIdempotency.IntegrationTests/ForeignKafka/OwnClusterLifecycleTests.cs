using SinkIdempotency.Broker;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.IntegrationTests.ForeignKafka;

/// <summary>What the embedded environment leaves on a Kafka cluster of its own: nothing of its workers once disposed.</summary>
public sealed class OwnClusterLifecycleTests
{
    [Fact]
    public async Task DisposeAsync_OwnCluster_DeletesTheWorkersTopicsAndGroup()
    {
        var token = TestContext.Current.CancellationToken;
        await using var broker = new KafkaBroker(new KafkaBrokerOptions { GroupMinSessionTimeout = ReferenceMatrix.SessionTimeout });
        await broker.StartAsync(token);
        var environment = await ReferenceMatrix.EnvironmentBuilder().WithBootstrapServers(broker.BootstrapServers).StartAsync(token);
        var clusterId = environment.ClusterId;
        List<string> created;
        try
        {
            created = [.. broker.TopicNames.Where(t => t.EndsWith(clusterId, StringComparison.Ordinal))];
            // The workers join their cluster's group on their own schedule after the environment reports started.
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
            while (broker.GetGroup(clusterId) is null && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(50, token);
            }

            broker.GetGroup(clusterId).Should().NotBeNull("the worker joined its cluster's group on the broker");
        }
        finally
        {
            await environment.DisposeAsync();
        }

        created.Should().BeEquivalentTo([$"connect-configs-{clusterId}", $"connect-status-{clusterId}", $"connect-assignments-{clusterId}"]);
        broker.TopicNames.Should().NotContain(t => t.EndsWith(clusterId, StringComparison.Ordinal));
        broker.GetGroup(clusterId).Should().BeNull();
    }
}
