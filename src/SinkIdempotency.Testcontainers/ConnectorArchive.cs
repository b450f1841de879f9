namespace SinkIdempotency.Testcontainers;

/// <summary>Holds one archive the Connect image's build installed, as its manifest lists it.</summary>
/// <param name="Sha256">The archive's SHA-256 as downloaded.</param>
/// <param name="Archive">The archive's file name.</param>
/// <param name="Pinned">Whether a pin verified it (otherwise it was installed through the opt-in).</param>
/// <param name="PinFile">The pin file that names it, or <see langword="null"/>.</param>
internal sealed record ConnectorArchive(string Sha256, string Archive, bool Pinned, string? PinFile);
