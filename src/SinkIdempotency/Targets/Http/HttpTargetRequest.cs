namespace SinkIdempotency.Targets.Http;

/// <summary>Describes one request the HTTP target server received: an entry of its audit log.</summary>
/// <param name="Sequence">The request's position in the audit log, from 1.</param>
/// <param name="ReceivedAt">When the request's body had been read.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="IdempotencyKey">The idempotency key header's value, or <see langword="null"/> when the request had none.</param>
/// <param name="BodyHash">The <see cref="Workload.ValueHash"/> of the body bytes.</param>
/// <param name="BodyLength">The body's length in bytes.</param>
/// <param name="Outcome">What the server did with the content.</param>
/// <param name="Response">What happened to the response.</param>
/// <param name="StatusCode">The status code answered (or that would have been answered, when the response was dropped).</param>
public sealed record HttpTargetRequest(
    long Sequence,
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string? IdempotencyKey,
    ulong BodyHash,
    int BodyLength,
    HttpRequestOutcome Outcome,
    HttpResponseFate Response,
    int StatusCode);
