using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Faults;

/// <summary>Describes one finished request/response exchange, as observers see it.</summary>
/// <param name="Request">The parsed request.</param>
/// <param name="ErrorCode">The response's top-level error (or its first error when it has none at the top), or null when no response was sent.</param>
/// <param name="Offsets">
/// For OffsetCommit, OffsetFetch and OffsetDelete: each partition with the response's error code (and, for
/// OffsetFetch, the returned offset and metadata); empty for other APIs.
/// </param>
/// <param name="ConnectionDropped">Whether the broker closed the connection instead of answering.</param>
/// <param name="Fault">The injected fault that acted on the request, or null.</param>
/// <param name="CompletedAt">The broker time at which the exchange finished.</param>
/// <param name="Handled">Whether the broker handled the request (applied its effects), whatever answer the client got.</param>
/// <param name="ReceivedAt">The broker time at which the request reached the fault hook, so a held or delayed request shows how long it waited.</param>
public sealed record BrokerExchange(
    BrokerRequest Request,
    ErrorCode? ErrorCode,
    IReadOnlyList<BrokerPartitionOffset> Offsets,
    bool ConnectionDropped,
    BrokerFault? Fault,
    DateTimeOffset CompletedAt,
    bool Handled,
    DateTimeOffset ReceivedAt);
