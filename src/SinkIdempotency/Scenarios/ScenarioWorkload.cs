namespace SinkIdempotency.Scenarios;

/// <summary>Configures the records a scenario produces: how many, over which keys and partitions, in which format.</summary>
/// <remarks>
/// Record <c>i</c> gets the event id <c>{run}-{i}</c>, the key <c>k{i mod Keys}</c> and the version <c>i / Keys + 1</c>, so every
/// key receives increasing versions and an upsert target must end with the newest one. The sequence is deterministic
/// from <see cref="Seed"/>, so a failing run can be replayed.
/// </remarks>
public sealed record ScenarioWorkload
{
    /// <summary>Gets the number of records to produce, poison records included.</summary>
    /// <value>1000.</value>
    public int Records { get; init; } = 1000;

    /// <summary>Gets the number of partitions of the source topic.</summary>
    /// <value>3.</value>
    public int Partitions { get; init; } = 3;

    /// <summary>Gets the number of distinct keys; zero produces unkeyed records.</summary>
    /// <value>100.</value>
    public int Keys { get; init; } = 100;

    /// <summary>Gets the size of each record's padding field, in characters.</summary>
    /// <value>64.</value>
    public int PayloadSize { get; init; } = 64;

    /// <summary>Gets how values are encoded.</summary>
    /// <value><see cref="RecordFormat.JsonEnvelope"/>.</value>
    public RecordFormat Format { get; init; } = RecordFormat.JsonEnvelope;

    /// <summary>Gets the seed of the padding contents.</summary>
    /// <value>1.</value>
    public int Seed { get; init; } = 1;

    /// <summary>Checks the workload and throws when it cannot be produced.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a count is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Records, 1, nameof(Records));
        ArgumentOutOfRangeException.ThrowIfLessThan(Partitions, 1, nameof(Partitions));
        ArgumentOutOfRangeException.ThrowIfNegative(Keys, nameof(Keys));
        ArgumentOutOfRangeException.ThrowIfNegative(PayloadSize, nameof(PayloadSize));
    }
}
