namespace SinkIdempotency.Scenarios;

/// <summary>Configures the records a scenario produces, and what <see cref="Workload.WorkloadGenerator"/> generates: how many, over which keys and partitions, how large, in which format.</summary>
/// <remarks>
/// <para>
/// Record <c>i</c> (its <c>seq</c>, from 0) gets a fresh event id, a GUID in its <c>D</c> form. With <see cref="Keys"/> above
/// zero it also gets the key <c>key-{n}</c>, <c>n</c> drawn at random from 0 to <see cref="Keys"/> − 1, and the next version
/// of that key (1, 2, 3, … with no gaps), so every key receives increasing versions and an upsert target must end with the
/// newest one; the key is also the Kafka key, which places the record by the murmur2 partitioner. With no keys the records
/// carry no key and no version and land on random partitions. Each value has the fields <c>event_id</c>, <c>key</c>,
/// <c>version</c>, <c>seq</c> and <c>payload</c> (<see cref="PayloadSize"/> random letters and digits).
/// </para>
/// <para>
/// Every choice (event ids, keys, payloads) derives from <see cref="Seed"/>: the same workload yields the same records, so a
/// failing run can be replayed. Rows of other runs never match, because every run writes its own topic and table.
/// </para>
/// </remarks>
public sealed record ScenarioWorkload
{
    /// <summary>The largest <see cref="PayloadSize"/>, 10 MiB of characters.</summary>
    internal const int MaxPayloadSize = 10 * 1024 * 1024;

    /// <summary>The default <see cref="SchemaName"/>.</summary>
    internal const string DefaultSchemaName = "sinkidempotency.Event";

    /// <summary>Gets the number of records to produce, poison records included.</summary>
    /// <value>1000.</value>
    public int Records { get; init; } = 1000;

    /// <summary>Gets the number of partitions of the source topic.</summary>
    /// <value>3.</value>
    public int Partitions { get; init; } = 3;

    /// <summary>Gets the number of distinct keys; zero produces unkeyed records (no Kafka key, no version).</summary>
    /// <value>100.</value>
    public int Keys { get; init; } = 100;

    /// <summary>Gets the length in characters of each record's <c>payload</c> field, which sets the record size.</summary>
    /// <value>64.</value>
    public int PayloadSize { get; init; } = 64;

    /// <summary>Gets how values are encoded.</summary>
    /// <value><see cref="RecordFormat.JsonEnvelope"/>, what Connect's <c>JsonConverter</c> expects by default.</value>
    public RecordFormat Format { get; init; } = RecordFormat.JsonEnvelope;

    /// <summary>Gets the production rate in records per second, or <see langword="null"/> to produce as fast as the broker acknowledges.</summary>
    /// <value><see langword="null"/>.</value>
    /// <remarks>
    /// A paced stream keeps the sink writing across several offset commits, which is when the window between target write
    /// and commit stays open; an unpaced backlog can be written and committed in one step.
    /// </remarks>
    public double? RecordsPerSecond { get; init; }

    /// <summary>Gets the seed every choice derives from: the same seed yields the same event ids, keys, versions and payloads.</summary>
    /// <value>1.</value>
    public int Seed { get; init; } = 1;

    /// <summary>Gets the name of the struct schema in the <see cref="RecordFormat.JsonEnvelope"/>, which poison records carry too.</summary>
    /// <value><c>sinkidempotency.Event</c>.</value>
    public string SchemaName { get; init; } = DefaultSchemaName;

    /// <summary>Checks the workload and throws an exception naming the setting to change.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Records, 1, nameof(Records));
        ArgumentOutOfRangeException.ThrowIfLessThan(Partitions, 1, nameof(Partitions));
        ArgumentOutOfRangeException.ThrowIfNegative(Keys, nameof(Keys));
        if (PayloadSize is < 0 or > MaxPayloadSize)
        {
            throw new ArgumentOutOfRangeException(nameof(PayloadSize), PayloadSize, "Use a payload size from 0 to 10 MiB (10485760 characters).");
        }

        if (RecordsPerSecond is { } rate && (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate)))
        {
            throw new ArgumentOutOfRangeException(nameof(RecordsPerSecond), rate, "Use a positive rate, or null for unpaced production.");
        }

        if (string.IsNullOrWhiteSpace(SchemaName))
        {
            throw new ArgumentOutOfRangeException(nameof(SchemaName), SchemaName, "Use a non-empty schema name, such as sinkidempotency.Event.");
        }
    }
}
