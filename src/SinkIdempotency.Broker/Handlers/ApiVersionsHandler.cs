using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Answers ApiVersions with the APIs that have handlers (the client software name is not validated).</summary>
internal sealed class ApiVersionsHandler(RequestDispatcher dispatcher) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        _ = ApiVersionsRequest.Read(ref reader, context.ApiVersion);
        return ValueTask.FromResult<Response?>(new ApiVersionsResponse(ErrorCode.None, dispatcher.AdvertisedApis));
    }
}
