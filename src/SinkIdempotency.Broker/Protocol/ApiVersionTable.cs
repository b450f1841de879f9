namespace SinkIdempotency.Broker.Protocol;

/// <summary>
/// Lists, per API key, the version range the embedded broker implements and the first flexible
/// version (which decides the request and response header versions).
/// </summary>
/// <remarks>
/// The table knows every API of the recommended set (reference brief §2.3), but an API is only
/// advertised in ApiVersions once the dispatcher has a handler for it (see
/// <c>RequestDispatcher.AdvertisedApis</c>), so part 2's APIs appear when their handlers are registered.
/// </remarks>
internal static class ApiVersionTable
{
    /// <summary>Marks an API none of whose implemented versions is flexible.</summary>
    public const short NeverFlexible = short.MaxValue;

    private static readonly ApiVersionRange[] Known =
    [
        new(ApiKey.Produce, 3, 7, 9),
        new(ApiKey.Fetch, 4, 11, 12),
        new(ApiKey.ListOffsets, 1, 5, 6),
        new(ApiKey.Metadata, 0, 8, 9),
        new(ApiKey.OffsetCommit, 2, 7, 8),
        new(ApiKey.OffsetFetch, 1, 5, 6),
        new(ApiKey.FindCoordinator, 0, 2, 3),
        new(ApiKey.JoinGroup, 0, 5, 6),
        new(ApiKey.Heartbeat, 0, 3, 4),
        new(ApiKey.LeaveGroup, 0, 1, 4),
        new(ApiKey.SyncGroup, 0, 3, 4),
        new(ApiKey.DescribeGroups, 0, 4, 5),
        new(ApiKey.ListGroups, 0, 2, 3),
        new(ApiKey.ApiVersions, 0, 3, 3),
        new(ApiKey.CreateTopics, 0, 4, 5),
        new(ApiKey.DeleteTopics, 0, 3, 4),
        new(ApiKey.InitProducerId, 0, 1, 2),
        new(ApiKey.DescribeConfigs, 0, 1, 4),
        new(ApiKey.DeleteGroups, 0, 1, 2),
        new(ApiKey.OffsetDelete, 0, 0, NeverFlexible),
    ];

    // Indexed by API key: a plain array keeps broker start-up free of collection JIT work.
    private static readonly ApiVersionRange?[] ByKey = BuildIndex();

    /// <summary>Gets every API the broker knows, whether or not a handler is registered.</summary>
    public static IReadOnlyList<ApiVersionRange> All => Known;

    public static bool TryGet(ApiKey key, out ApiVersionRange range)
    {
        var index = (int)key;
        if (index >= 0 && index < ByKey.Length && ByKey[index] is { } found)
        {
            range = found;
            return true;
        }

        range = default;
        return false;
    }

    /// <summary>Tells whether (key, version) uses flexible encoding (request header v2, response header v1).</summary>
    /// <remarks>Unknown keys are treated as non-flexible: their header is read as v1 only to log and close.</remarks>
    public static bool IsFlexible(ApiKey key, short version) =>
        TryGet(key, out var range) && version >= range.FirstFlexible;

    /// <summary>Tells whether the response to (key, version) carries a header tag section (response header v1).</summary>
    /// <remarks>ApiVersions always answers with response header v0, even for its flexible v3 body (KIP-511).</remarks>
    public static bool ResponseHasHeaderTags(ApiKey key, short version) =>
        key != ApiKey.ApiVersions && IsFlexible(key, version);

    private static ApiVersionRange?[] BuildIndex()
    {
        var index = new ApiVersionRange?[Known.Max(r => (int)r.Key) + 1];
        foreach (var range in Known)
        {
            index[(int)range.Key] = range;
        }

        return index;
    }
}

/// <summary>One API's implemented versions.</summary>
internal readonly record struct ApiVersionRange(ApiKey Key, short MinVersion, short MaxVersion, short FirstFlexible)
{
    public bool Contains(short version) => version >= MinVersion && version <= MaxVersion;
}
