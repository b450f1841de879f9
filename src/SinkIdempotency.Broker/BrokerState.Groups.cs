using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Groups;

namespace SinkIdempotency.Broker;

/// <summary>Part 2's shared state: the group coordinator and the fault registry.</summary>
internal sealed partial class BrokerState
{
    private GroupCoordinator? _groups;

    /// <summary>Gets the consumer-group coordinator (created on first use from the options).</summary>
    public GroupCoordinator Groups => LazyInitializer.EnsureInitialized(ref _groups, CreateGroups);

    /// <summary>Gets the injected faults and exchange observers.</summary>
    public FaultRegistry Faults { get; } = new();

    /// <summary>Gets the client id of every open connection that has sent a request.</summary>
    public ClientConnectionTracker ClientConnections { get; } = new();

    private GroupCoordinator CreateGroups() => new(
        new GroupCoordinatorOptions
        {
            TimeProvider = TimeProvider,
            InitialRebalanceDelay = Options.InitialRebalanceDelay,
            MinSessionTimeout = Options.GroupMinSessionTimeout,
            MaxSessionTimeout = Options.GroupMaxSessionTimeout,
            MaxCommitMetadataBytes = Options.OffsetMetadataMaxBytes,
        },
        (topic, partition) => Topics.TryGet(topic, out var t) && t.GetPartition(partition) is not null);
}
