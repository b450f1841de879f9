namespace SinkIdempotency.Testcontainers;

/// <summary>Holds one pin file of the Connect image's recipe.</summary>
/// <param name="PinFile">The pin file's name, e.g. <c>kafka-connect-jdbc.sha256</c>.</param>
/// <param name="Archive">The archive it names.</param>
/// <param name="Sha256">The pinned SHA-256 (64 lower-case hex digits), or <see langword="null"/> when the file pins none.</param>
internal sealed record ConnectorPin(string PinFile, string Archive, string? Sha256);
