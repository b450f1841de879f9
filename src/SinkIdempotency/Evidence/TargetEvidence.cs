namespace SinkIdempotency.Evidence;

/// <summary>Records the target's row count and order-independent checksum.</summary>
public sealed record TargetEvidence : EvidenceEvent
{
    /// <summary>Gets the target's description.</summary>
    /// <value>For example <c>PostgreSQL table "public"."si_ab12_orders"</c>.</value>
    public required string Target { get; init; }

    /// <summary>Gets the number of rows.</summary>
    /// <value>Duplicates included.</value>
    public required long Rows { get; init; }

    /// <summary>Gets the multiset checksum of the rows, as 16 hex digits.</summary>
    /// <value>See <see cref="Targets.TargetChecksum"/>.</value>
    public required string Checksum { get; init; }
}
