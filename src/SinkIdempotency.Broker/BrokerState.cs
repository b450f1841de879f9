using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Groups;
using SinkIdempotency.Broker.Log;

namespace SinkIdempotency.Broker;

/// <summary>
/// The state every handler shares: options, clock, this node's identity, the topic registry, the group
/// coordinator and the fault registry.
/// </summary>
/// <remarks>
/// Each piece of state has one owner: a partition log and a consumer group each guard theirs with their
/// own lock, so a held request on one never blocks another (DESIGN.md §6).
/// </remarks>
internal sealed class BrokerState
{
    private long _nextProducerId;

    public BrokerState(KafkaBrokerOptions options)
    {
        Options = options;
        TimeProvider = options.TimeProvider;
        LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        Topics = new TopicRegistry(options, TimeProvider);
        Groups = new GroupCoordinator(
            new GroupCoordinatorOptions
            {
                TimeProvider = TimeProvider,
                InitialRebalanceDelay = options.InitialRebalanceDelay,
                MinSessionTimeout = options.GroupMinSessionTimeout,
                MaxSessionTimeout = options.GroupMaxSessionTimeout,
                MaxCommitMetadataBytes = options.OffsetMetadataMaxBytes,
            },
            (topic, partition) => Topics.TryGet(topic, out var t) && t.GetPartition(partition) is not null);
        _nextProducerId = 1000;
    }

    public KafkaBrokerOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public ILoggerFactory LoggerFactory { get; }

    public TopicRegistry Topics { get; }

    /// <summary>Gets the consumer-group coordinator.</summary>
    public GroupCoordinator Groups { get; }

    /// <summary>Gets the injected faults and exchange observers.</summary>
    public FaultRegistry Faults { get; } = new();

    /// <summary>Gets the client id of every open connection that has sent a request.</summary>
    public ClientConnectionTracker ClientConnections { get; } = new();

    /// <summary>Gets this broker's node id (the only broker, the controller and every partition's leader).</summary>
    public int NodeId => Options.NodeId;

    /// <summary>Gets the host advertised in Metadata (and FindCoordinator): always IPv4 loopback.</summary>
    public string AdvertisedHost => "127.0.0.1";

    /// <summary>Gets the port advertised in Metadata; set once the listener is bound.</summary>
    public int AdvertisedPort { get; set; }

    public string ClusterId => Options.ClusterId;

    public long NowMs => TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    public ILogger CreateLogger<T>() => LoggerFactory.CreateLogger<T>();

    /// <summary>Returns a producer id never handed out before by this broker.</summary>
    public long NextProducerId() => Interlocked.Increment(ref _nextProducerId);
}
