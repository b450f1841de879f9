using SinkIdempotency.Broker;

namespace SinkIdempotency.Environments;

/// <summary>Gives faults the environment's in-process broker, whose requests they can fail, delay or hold; implemented by environments that run one.</summary>
/// <remarks>
/// An optional ability, as <see cref="IWorkerLogReader"/> is. An environment that implements it must also announce
/// <see cref="EnvironmentCapabilities.BrokerFaults"/> when (and only when) <see cref="Broker"/> can be used: the embedded
/// environment does on its in-process broker, not on a Kafka cluster of its own.
/// </remarks>
public interface IBrokerFaultHost
{
    /// <summary>Gets the in-process broker.</summary>
    /// <value>The running broker.</value>
    /// <exception cref="InvalidOperationException">Thrown when the environment is not started or runs on a foreign cluster.</exception>
    KafkaBroker Broker { get; }
}
