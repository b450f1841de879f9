namespace SinkIdempotency.Targets;

/// <summary>Names the fields of a JSON record value that hold the event id, key, version and hashed content, for targets that store the value as JSON.</summary>
/// <remarks>
/// The defaults match the harness workload (<c>event_id</c>, <c>key</c>, <c>version</c>, <c>payload</c>). A value wrapped in
/// Connect's JsonConverter envelope (<c>{"schema":…,"payload":{…}}</c>) is unwrapped first.
/// </remarks>
public sealed record JsonValueMapping
{
    /// <summary>Gets the mapping of the harness workload's fields.</summary>
    /// <value>The default mapping.</value>
    public static JsonValueMapping Default { get; } = new();

    /// <summary>Gets the field holding the event id.</summary>
    /// <value><c>event_id</c>.</value>
    public string EventIdField { get; init; } = "event_id";

    /// <summary>Gets the field holding the business key, or <see langword="null"/> to read no key.</summary>
    /// <value><c>key</c>.</value>
    public string? KeyField { get; init; } = "key";

    /// <summary>Gets the field holding the record version, or <see langword="null"/> to read no version.</summary>
    /// <value><c>version</c>.</value>
    public string? VersionField { get; init; } = "version";

    /// <summary>Gets the string field whose text is hashed with <see cref="Workload.ValueHash"/>, or <see langword="null"/> to compute no hash.</summary>
    /// <value><c>payload</c>, the field whose hash the workload's ledger records.</value>
    public string? HashedField { get; init; } = "payload";

    /// <summary>Creates the mapping from a table mapping's column names, which name the value's fields for targets that store JSON.</summary>
    /// <param name="mapping">The table mapping.</param>
    /// <returns>The event id, key, version and payload columns as field names.</returns>
    public static JsonValueMapping From(PostgreSqlTableMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return new JsonValueMapping { EventIdField = mapping.EventIdColumn, KeyField = mapping.KeyColumn, VersionField = mapping.VersionColumn, HashedField = mapping.PayloadColumn };
    }
}
