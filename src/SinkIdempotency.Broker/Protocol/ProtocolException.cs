namespace SinkIdempotency.Broker.Protocol;

/// <summary>Signals a request frame that does not follow the Kafka protocol; the connection that sent it is closed.</summary>
internal sealed class ProtocolException(string message) : Exception(message);
