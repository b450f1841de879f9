using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Server;

/// <summary>A response body that can encode itself for the request's API version.</summary>
/// <remarks>
/// The connection writes the frame size and response header (v0 or v1 per
/// <see cref="Handlers.ApiTable.ResponseHasHeaderTags"/>); the response writes only its body.
/// </remarks>
internal abstract class Response
{
    /// <summary>Gets the error code the response carries at its top level (or its first error), for observers.</summary>
    public virtual ErrorCode TopLevelError => ErrorCode.None;

    public abstract void Write(KafkaWriter writer, short version);
}
