namespace SinkIdempotency.Sink;

/// <summary>Carries one Kafka record header with its raw bytes.</summary>
/// <param name="Key">The header key.</param>
/// <param name="Value">The raw header value, or <see langword="null"/>.</param>
public sealed record SinkRecordHeader(string Key, ReadOnlyMemory<byte>? Value);
