using SinkIdempotency.Workload;

namespace SinkIdempotency.Targets.Http;

/// <summary>Describes one record the HTTP target server applied (stored): what a real API would have persisted.</summary>
/// <param name="RequestSequence">The <see cref="HttpTargetRequest.Sequence"/> of the request that applied it.</param>
/// <param name="AppliedAt">When it was applied.</param>
/// <param name="IdempotencyKey">The request's idempotency key, or <see langword="null"/>.</param>
/// <param name="Body">The request body (UTF-8 text).</param>
/// <param name="Source">The Kafka coordinates the request carried in its <c>X-Kafka-Topic</c>, <c>X-Kafka-Partition</c> and <c>X-Kafka-Offset</c> headers, or <see langword="null"/>.</param>
/// <param name="Path">The request path the record was POSTed to: the collection it belongs to.</param>
public sealed record HttpTargetRecord(
    long RequestSequence,
    DateTimeOffset AppliedAt,
    string? IdempotencyKey,
    string Body,
    SourcePosition? Source,
    string Path = "/");
