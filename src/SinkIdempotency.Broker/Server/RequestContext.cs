using System.Net;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Server;

/// <summary>One decoded request: its header fields, raw body and the connection it came on.</summary>
/// <remarks>
/// <see cref="Body"/> is only valid until the request's response has been produced: the frame buffer is
/// pooled and returned afterwards, so handlers copy whatever they keep (Produce copies batches).
/// </remarks>
internal sealed class RequestContext(
    ApiKey apiKey,
    short apiVersion,
    int correlationId,
    string? clientId,
    long connectionId,
    EndPoint? remoteEndPoint,
    ReadOnlyMemory<byte> body,
    CancellationToken cancellationToken)
{
    public ApiKey ApiKey { get; } = apiKey;

    public short ApiVersion { get; } = apiVersion;

    public int CorrelationId { get; } = correlationId;

    public string? ClientId { get; } = clientId;

    public long ConnectionId { get; } = connectionId;

    public EndPoint? RemoteEndPoint { get; } = remoteEndPoint;

    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <summary>Gets a token that fires when the connection closes or the broker stops.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Gets the client host as Kafka reports it (e.g. DescribeGroups' ClientHost), without a port.</summary>
    public string ClientHost => RemoteEndPoint is IPEndPoint ip ? "/" + ip.Address : string.Empty;

    public override string ToString() => $"{ApiKey} v{ApiVersion} correlation {CorrelationId} from connection {ConnectionId} ({ClientId})";
}
