namespace SinkIdempotency.Broker.Groups;

/// <summary>Carries the coordinator settings taken from the broker options.</summary>
internal sealed record GroupCoordinatorOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public TimeSpan InitialRebalanceDelay { get; init; } = TimeSpan.Zero;

    public TimeSpan MinSessionTimeout { get; init; } = TimeSpan.FromSeconds(6);

    public TimeSpan MaxSessionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public int MaxCommitMetadataBytes { get; init; } = 4096;
}
