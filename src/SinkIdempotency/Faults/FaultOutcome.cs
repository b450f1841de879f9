namespace SinkIdempotency.Faults;

/// <summary>Reports whether a fault was injected.</summary>
/// <param name="Injected">Whether the fault acted as intended.</param>
/// <param name="Detail">A sentence for the report: what was done, or why nothing was.</param>
public sealed record FaultOutcome(bool Injected, string Detail);
