using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>
/// The one table of the APIs the broker serves: a handler per key, each declaring its own versions.
/// ApiVersions advertises exactly this table, and the connection reads request headers from it.
/// </summary>
/// <remarks>A new API is a request/response file in <c>Protocol/Messages/</c>, a handler file here, and one line below.</remarks>
internal sealed class ApiTable
{
    // Indexed by API key: a plain array keeps broker start-up free of collection JIT work.
    private readonly IApiHandler?[] _byKey;

    public ApiTable(BrokerState state)
    {
        IApiHandler[] handlers =
        [
            new ProduceHandler(state),
            new FetchHandler(state),
            new ListOffsetsHandler(state),
            new MetadataHandler(state),
            new OffsetCommitHandler(state),
            new OffsetFetchHandler(state),
            new FindCoordinatorHandler(state),
            new JoinGroupHandler(state),
            new HeartbeatHandler(state),
            new LeaveGroupHandler(state),
            new SyncGroupHandler(state),
            new DescribeGroupsHandler(state),
            new ListGroupsHandler(state),
            new ApiVersionsHandler(this),
            new CreateTopicsHandler(state),
            new DeleteTopicsHandler(state),
            new DeleteRecordsHandler(state),
            new InitProducerIdHandler(state),
            new DescribeAclsHandler(),
            new DescribeConfigsHandler(state),
            new AlterConfigsHandler(state),
            new DeleteGroupsHandler(state),
            new IncrementalAlterConfigsHandler(state),
            new OffsetDeleteHandler(state),
        ];

        _byKey = new IApiHandler?[handlers.Max(h => (int)h.Versions.Key) + 1];
        foreach (var handler in handlers)
        {
            var index = (int)handler.Versions.Key;
            if (_byKey[index] is not null)
            {
                throw new InvalidOperationException($"API {handler.Versions.Key} is registered twice.");
            }

            _byKey[index] = handler;
        }

        Advertised = [.. handlers.Select(h => h.Versions).OrderBy(r => (short)r.Key)];
    }

    /// <summary>Gets the APIs advertised in ApiVersions, in key order.</summary>
    public IReadOnlyList<ApiVersionRange> Advertised { get; }

    /// <summary>Finds the handler of an API, whatever the version.</summary>
    public IApiHandler? Find(ApiKey key)
    {
        var index = (int)key;
        return index >= 0 && index < _byKey.Length ? _byKey[index] : null;
    }

    /// <summary>Tells whether (key, version) is served.</summary>
    public bool IsSupported(ApiKey key, short version) => Find(key) is { } handler && handler.Versions.Contains(version);

    /// <summary>Tells whether (key, version) uses flexible encoding (request header v2, response header v1).</summary>
    /// <remarks>Unknown keys are treated as non-flexible: their header is read as v1 only to log and close.</remarks>
    public bool IsFlexible(ApiKey key, short version) => Find(key) is { } handler && handler.Versions.IsFlexible(version);

    /// <summary>Tells whether the response to (key, version) carries a header tag section (response header v1).</summary>
    /// <remarks>ApiVersions always answers with response header v0, even for its flexible v3 body (KIP-511).</remarks>
    public bool ResponseHasHeaderTags(ApiKey key, short version) => key != ApiKey.ApiVersions && IsFlexible(key, version);
}
