namespace SinkIdempotency.Broker.Protocol;

/// <summary>One API's implemented versions and the first flexible one (which decides the header versions).</summary>
/// <param name="Key">The API.</param>
/// <param name="MinVersion">The lowest version served.</param>
/// <param name="MaxVersion">The highest version served (librdkafka sends the highest one both sides know).</param>
/// <param name="FirstFlexible">The first flexible version in Kafka's message JSON; <see cref="NeverFlexible"/> when none is.</param>
internal readonly record struct ApiVersionRange(ApiKey Key, short MinVersion, short MaxVersion, short FirstFlexible)
{
    /// <summary>Marks an API none of whose versions is flexible.</summary>
    public const short NeverFlexible = short.MaxValue;

    public bool Contains(short version) => version >= MinVersion && version <= MaxVersion;

    /// <summary>Tells whether <paramref name="version"/> uses flexible encoding (request header v2, response header v1).</summary>
    public bool IsFlexible(short version) => version >= FirstFlexible;
}
