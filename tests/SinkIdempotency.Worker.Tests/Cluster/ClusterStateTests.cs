using SinkIdempotency.Worker.Cluster;
using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Tests.Cluster;

public sealed class ClusterStateTests
{
    private static readonly Dictionary<string, string> Config = new() { ["name"] = "c", ["connector.class"] = "PostgresSink", ["topics"] = "t" };

    private static byte[] Connector(string tasksTopic) =>
        ClusterRecords.EncodeConnector(Config, [new Dictionary<string, string> { ["topics"] = tasksTopic }]);

    [Fact]
    public void ApplyConfig_SameKeyTwice_LastValueWins()
    {
        var state = new ClusterState();

        state.ApplyConfig("connector-c", Connector("a"), 0);
        state.ApplyConfig("connector-c", Connector("b"), 1);

        state.Connectors["c"].TaskConfigs[0]["topics"].Should().Be("b");
        state.Connectors["c"].Generation.Should().Be(1, "changed task configs start a new generation");
    }

    [Fact]
    public void ApplyConfig_UnchangedTaskConfigs_KeepsGeneration()
    {
        var state = new ClusterState();

        state.ApplyConfig("connector-c", Connector("a"), 3);
        state.ApplyConfig("connector-c", Connector("a"), 9);

        state.Connectors["c"].Generation.Should().Be(3, "tasks are not restarted when their configurations did not change");
    }

    [Fact]
    public void ApplyConfig_Tombstone_DeletesConnectorAndTargetState()
    {
        var state = new ClusterState();
        state.ApplyConfig("connector-c", Connector("a"), 0);
        state.ApplyConfig("target-state-c", ClusterRecords.EncodeTargetState(TargetState.Paused), 1);

        state.ApplyConfig("connector-c", null, 2);
        state.ApplyConfig("target-state-c", null, 3);

        state.Connectors.Should().BeEmpty();
        state.TargetStateOf("c").Should().Be(TargetState.Started);
    }

    [Theory]
    [InlineData("Started")]
    [InlineData("Paused")]
    [InlineData("Stopped")]
    public void TargetState_RoundTrips(string name)
    {
        var targetState = Enum.Parse<TargetState>(name);
        var state = new ClusterState();

        state.ApplyConfig("target-state-c", ClusterRecords.EncodeTargetState(targetState), 0);

        state.TargetStateOf("c").Should().Be(targetState);
    }

    [Fact]
    public void ApplyConfig_RestartRecords_ReturnRequests()
    {
        var state = new ClusterState();

        var connector = state.ApplyConfig("restart-connector-my-sink", ClusterRecords.EncodeRestart(new RestartRequest("my-sink", null, true, true)), 0);
        var task = state.ApplyConfig("restart-task-my-sink-3", ClusterRecords.EncodeRestart(new RestartRequest("my-sink", 3, true, false)), 1);

        connector.Should().Be(new RestartRequest("my-sink", null, true, true));
        task.Should().Be(new RestartRequest("my-sink", 3, true, false));
    }

    [Fact]
    public void ApplyStatus_TaskOfDashedConnector_ParsesIdAndKeepsTrace()
    {
        var state = new ClusterState();

        state.ApplyStatus("status-task-my-sink-12", ClusterRecords.EncodeStatus(new StatusRecord("FAILED", "w:1", "boom")));
        state.ApplyStatus("status-connector-my-sink", ClusterRecords.EncodeStatus(new StatusRecord("RUNNING", "w:1", null)));

        state.TaskStatuses[new ConnectorTaskId("my-sink", 12)].Should().Be(new StatusRecord("FAILED", "w:1", "boom"));
        state.ConnectorStatuses["my-sink"].Should().Be(new StatusRecord("RUNNING", "w:1", null));
        state.ApplyStatus("status-task-my-sink-12", null);
        state.TaskStatuses.Should().BeEmpty();
    }

    [Fact]
    public void StableHash_IsDeterministicAcrossProcesses()
    {
        Herder.StableHash("orders-sink").Should().Be(Herder.StableHash("orders-sink"));
        Herder.StableHash("a").Should().Be(unchecked((int)((2166136261u ^ 'a') * 16777619u) & 0x7fffffff));
    }
}
