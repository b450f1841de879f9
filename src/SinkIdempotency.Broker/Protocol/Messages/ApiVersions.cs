using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>ApiVersions request (v0–3); the v3 body is flexible.</summary>
internal sealed record ApiVersionsRequest(string? ClientSoftwareName, string? ClientSoftwareVersion) : KafkaRequest, IKafkaRequest<ApiVersionsRequest>
{
    public override Response ErrorResponse(ErrorCode error, BrokerState state) => new ApiVersionsResponse(error, []);

    public static ApiVersionsRequest Read(ref KafkaReader reader, short version)
    {
        if (version < 3)
        {
            return new ApiVersionsRequest(null, null);
        }

        var name = reader.ReadCompactString();
        var softwareVersion = reader.ReadCompactString();
        reader.SkipTaggedFields();
        return new ApiVersionsRequest(name, softwareVersion);
    }
}

/// <summary>ApiVersions response (v0–3; v3 flexible, always with response header v0).</summary>
internal sealed class ApiVersionsResponse(ErrorCode error, IReadOnlyList<ApiVersionRange> apis, bool forceV0 = false) : Response
{
    public ErrorCode Error { get; } = error;

    public IReadOnlyList<ApiVersionRange> Apis { get; } = apis;

    public override ErrorCode TopLevelError => Error;

    /// <summary>
    /// Builds the KIP-511 answer to an ApiVersions version we do not implement: a v0-shaped body with
    /// UNSUPPORTED_VERSION and only the ApiVersions entry, so the client retries with a version we know.
    /// </summary>
    public static ApiVersionsResponse UnsupportedVersion(IReadOnlyList<ApiVersionRange> advertised) =>
        new(ErrorCode.UnsupportedVersion, [.. advertised.Where(a => a.Key == ApiKey.ApiVersions)], forceV0: true);

    public override void Write(KafkaWriter writer, short version)
    {
        if (forceV0)
        {
            version = 0;
        }

        writer.WriteInt16(Error);
        if (version >= 3)
        {
            writer.WriteCompactArrayLength(Apis.Count);
            foreach (var api in Apis)
            {
                writer.WriteInt16((short)api.Key);
                writer.WriteInt16(api.MinVersion);
                writer.WriteInt16(api.MaxVersion);
                writer.WriteEmptyTaggedFields();
            }

            writer.WriteInt32(0);
            writer.WriteEmptyTaggedFields();
            return;
        }

        writer.WriteArrayLength(Apis.Count);
        foreach (var api in Apis)
        {
            writer.WriteInt16((short)api.Key);
            writer.WriteInt16(api.MinVersion);
            writer.WriteInt16(api.MaxVersion);
        }

        if (version >= 1)
        {
            writer.WriteInt32(0);
        }
    }
}
