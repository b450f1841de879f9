namespace SinkIdempotency.Workload;

/// <summary>Configures the records a <see cref="WorkloadGenerator"/> produces.</summary>
public sealed record WorkloadOptions
{
    /// <summary>Gets the number of records.</summary>
    /// <value>The default is 1,000.</value>
    public int Count { get; init; } = 1_000;

    /// <summary>Gets the number of distinct business keys; 0 produces unkeyed records.</summary>
    /// <value>The default is 0: unkeyed records (no Kafka key, no version).</value>
    /// <remarks>With keys, each record picks a key at random (from the seed) and carries the next version of that key, starting at 1, so an upsert target can be checked for "newest version wins".</remarks>
    public int KeyCount { get; init; }

    /// <summary>Gets how values are encoded.</summary>
    /// <value>The default is <see cref="WorkloadEncoding.JsonEnvelope"/>, what Connect's JsonConverter expects by default.</value>
    public WorkloadEncoding Encoding { get; init; } = WorkloadEncoding.JsonEnvelope;

    /// <summary>Gets the length in characters of each record's <c>payload</c> field, which sets the record size.</summary>
    /// <value>The default is 64.</value>
    public int PayloadLength { get; init; } = 64;

    /// <summary>Gets the produce rate in records per second, or <see langword="null"/> to produce as fast as the broker acknowledges.</summary>
    /// <value>The default is <see langword="null"/> (unthrottled).</value>
    public double? RecordsPerSecond { get; init; }

    /// <summary>Gets the seed every choice derives from: the same seed yields the same event ids, keys, versions and payloads.</summary>
    /// <value>The default is 1.</value>
    public int Seed { get; init; } = 1;

    /// <summary>The default <see cref="SchemaName"/>, which the runner's poison records carry too.</summary>
    internal const string DefaultSchemaName = "sinkidempotency.Event";

    /// <summary>Gets the name of the struct schema in the JsonConverter envelope.</summary>
    /// <value>The default is <c>sinkidempotency.Event</c>.</value>
    public string SchemaName { get; init; } = DefaultSchemaName;

    /// <summary>Checks the options and throws an exception naming the option to change.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (Count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Count), Count, "WorkloadOptions.Count must be 0 or more.");
        }

        if (KeyCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(KeyCount), KeyCount, "WorkloadOptions.KeyCount must be 0 (unkeyed) or more.");
        }

        if (PayloadLength is < 0 or > 10 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(PayloadLength), PayloadLength, "WorkloadOptions.PayloadLength must be between 0 and 10 MiB.");
        }

        if (RecordsPerSecond is { } rate && (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate)))
        {
            throw new ArgumentOutOfRangeException(nameof(RecordsPerSecond), RecordsPerSecond, "WorkloadOptions.RecordsPerSecond must be positive, or null for unthrottled.");
        }

        if (string.IsNullOrWhiteSpace(SchemaName))
        {
            throw new ArgumentOutOfRangeException(nameof(SchemaName), SchemaName, "WorkloadOptions.SchemaName must not be empty.");
        }
    }
}
