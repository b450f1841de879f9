namespace SinkIdempotency.Scenarios;

/// <summary>Describes one change of a consumer group's members seen by <see cref="RebalanceWatch"/>.</summary>
/// <param name="Before">The members before: member id → <c>client id@host: partitions</c>.</param>
/// <param name="After">The members after.</param>
/// <param name="Planned">Whether a harness action explains it.</param>
/// <param name="Cause">The harness action it is attributed to, or <see langword="null"/>.</param>
internal sealed record RebalanceChange(IReadOnlyDictionary<string, string> Before, IReadOnlyDictionary<string, string> After, bool Planned, string? Cause);
