namespace SinkIdempotency.Targets;

/// <summary>Maps the columns of a sink's PostgreSQL table to the fields of a <see cref="TargetRow"/>.</summary>
/// <remarks>
/// Every column except the event id is optional. Columns are cast in SQL (<c>::text</c>, <c>::bigint</c>, <c>::integer</c>),
/// so a uuid event id, an integer key or a numeric version read the same way as text and bigint columns.
/// </remarks>
public sealed record PostgreSqlTableMapping
{
    /// <summary>Gets the table's schema.</summary>
    /// <value><c>public</c>.</value>
    public string Schema { get; init; } = "public";

    /// <summary>Gets the table's name.</summary>
    /// <value>No default; required.</value>
    public required string Table { get; init; }

    /// <summary>Gets the column holding the event id.</summary>
    /// <value><c>event_id</c>.</value>
    public string EventIdColumn { get; init; } = "event_id";

    /// <summary>Gets the column holding the business key, or <see langword="null"/> when the table has none.</summary>
    /// <value><see langword="null"/>.</value>
    public string? KeyColumn { get; init; }

    /// <summary>Gets the column holding the record version, or <see langword="null"/> when the table has none.</summary>
    /// <value><see langword="null"/>.</value>
    public string? VersionColumn { get; init; }

    /// <summary>Gets a bigint column holding the record's <see cref="Workload.ValueHash"/> as a signed 64-bit number, or <see langword="null"/>.</summary>
    /// <value><see langword="null"/>.</value>
    public string? ValueHashColumn { get; init; }

    /// <summary>Gets a column whose text (as PostgreSQL prints it) is hashed with <see cref="Workload.ValueHash"/>, or <see langword="null"/>.</summary>
    /// <value><see langword="null"/>.</value>
    /// <remarks>Use a <c>text</c> or <c>json</c> column: <c>jsonb</c> normalises the document, so its text differs from what was produced.</remarks>
    public string? PayloadColumn { get; init; }

    /// <summary>Gets the column holding the source topic, or <see langword="null"/>.</summary>
    /// <value><see langword="null"/>.</value>
    public string? TopicColumn { get; init; }

    /// <summary>Gets the column holding the source partition, or <see langword="null"/>.</summary>
    /// <value><see langword="null"/>.</value>
    public string? PartitionColumn { get; init; }

    /// <summary>Gets the column holding the source offset, or <see langword="null"/>.</summary>
    /// <value><see langword="null"/>.</value>
    public string? OffsetColumn { get; init; }

    /// <summary>Gets an optional SQL condition (without <c>WHERE</c>) restricting the rows read, for tables shared by several runs.</summary>
    /// <value><see langword="null"/>: every row.</value>
    public string? Filter { get; init; }

    /// <summary>Checks the mapping and throws when it cannot be read.</summary>
    /// <exception cref="ArgumentException">Thrown when a required name is empty, or source columns are only partly mapped.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Schema) || string.IsNullOrWhiteSpace(Table) || string.IsNullOrWhiteSpace(EventIdColumn))
        {
            throw new ArgumentException("The PostgreSQL table mapping needs a schema, a table and an event id column; set Schema, Table and EventIdColumn.");
        }

        if (ValueHashColumn is not null && PayloadColumn is not null)
        {
            throw new ArgumentException("Map either ValueHashColumn or PayloadColumn, not both: each gives the row's value hash.");
        }

        var mapped = (TopicColumn is null ? 0 : 1) + (PartitionColumn is null ? 0 : 1) + (OffsetColumn is null ? 0 : 1);
        if (mapped is not (0 or 3))
        {
            throw new ArgumentException("Map all three of TopicColumn, PartitionColumn and OffsetColumn, or none of them.");
        }
    }
}
