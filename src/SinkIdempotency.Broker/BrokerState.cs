using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SinkIdempotency.Broker.Log;

namespace SinkIdempotency.Broker;

/// <summary>
/// The state every handler shares: options, clock, this node's identity and the topic registry.
/// </summary>
/// <remarks>
/// Partial so that part 2 can add its group coordinator in <c>BrokerState.Groups.cs</c> without editing
/// this file (an addition to the architecture contract, which only names KafkaBroker and the dispatcher).
/// </remarks>
internal sealed partial class BrokerState
{
    private long _nextProducerId;

    public BrokerState(KafkaBrokerOptions options)
    {
        Options = options;
        TimeProvider = options.TimeProvider;
        LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        Topics = new TopicRegistry(options, TimeProvider);
        _nextProducerId = 1000;
    }

    public KafkaBrokerOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public ILoggerFactory LoggerFactory { get; }

    public TopicRegistry Topics { get; }

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
