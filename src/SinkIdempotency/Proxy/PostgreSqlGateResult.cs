namespace SinkIdempotency.Proxy;

/// <summary>Says what <see cref="PostgreSqlReplyGate"/> lets through of one read from the server.</summary>
/// <param name="ForwardWholeChunk">Whether the read passes on unchanged (nothing held before or in it).</param>
/// <param name="Forward">Otherwise, a pooled buffer with the bytes to pass on now (held bytes first), or <see langword="null"/> for none.</param>
/// <param name="ForwardLength">The number of bytes of <paramref name="Forward"/> to pass on.</param>
/// <param name="WithheldReply">When the durable reply was found and claimed: a description of it; it and every later byte are withheld.</param>
/// <param name="WithheldBytes">The number of bytes withheld from this read (and held before it).</param>
internal readonly record struct PostgreSqlGateResult(bool ForwardWholeChunk, byte[]? Forward, int ForwardLength, string? WithheldReply, int WithheldBytes);
