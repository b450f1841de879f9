using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Server;

/// <summary>
/// The base of every API handler: the key and version range are declared in the constructor call, next
/// to the handling code (as kfake's <c>regKey</c> sits beside each handler), and the body is decoded by
/// the request record's own <c>Read</c>.
/// </summary>
/// <typeparam name="TRequest">The API's request record.</typeparam>
/// <param name="key">The API key.</param>
/// <param name="minVersion">The lowest version served.</param>
/// <param name="maxVersion">The highest version served.</param>
/// <param name="firstFlexible">The first flexible version in Kafka's message JSON (it may lie above <paramref name="maxVersion"/>).</param>
internal abstract class ApiHandler<TRequest>(ApiKey key, short minVersion, short maxVersion, short firstFlexible) : IApiHandler
    where TRequest : KafkaRequest, IKafkaRequest<TRequest>
{
    public ApiVersionRange Versions { get; } = new(key, minVersion, maxVersion, firstFlexible);

    public KafkaRequest Read(RequestContext context)
    {
        var reader = new KafkaReader(context.Body);
        return TRequest.Read(ref reader, context.ApiVersion);
    }

    public ValueTask<Response?> HandleAsync(KafkaRequest request, RequestContext context) => HandleAsync((TRequest)request, context);

    /// <summary>Handles a request that may wait (override this or <see cref="Handle"/>).</summary>
    protected virtual ValueTask<Response?> HandleAsync(TRequest request, RequestContext context) => ValueTask.FromResult(Handle(request, context));

    /// <summary>Handles a request synchronously (override this or <see cref="HandleAsync(TRequest, RequestContext)"/>).</summary>
    protected virtual Response? Handle(TRequest request, RequestContext context) =>
        throw new NotSupportedException($"{GetType().Name} overrides neither Handle nor HandleAsync.");
}
