using SinkIdempotency.Workload;

namespace SinkIdempotency.Reconciliation;

/// <summary>Describes one record found in the dead-letter topic, by the source position its context headers name.</summary>
/// <param name="Source">The original record's position, from the <c>__connect.errors.topic</c>, <c>__connect.errors.partition</c> and <c>__connect.errors.offset</c> headers.</param>
/// <param name="ErrorClass">The <c>__connect.errors.exception.class.name</c> header, or <see langword="null"/>.</param>
/// <param name="ErrorMessage">The <c>__connect.errors.exception.message</c> header, or <see langword="null"/>.</param>
public sealed record DeadLetterRecord(SourcePosition Source, string? ErrorClass = null, string? ErrorMessage = null);
