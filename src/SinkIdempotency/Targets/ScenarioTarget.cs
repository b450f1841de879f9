namespace SinkIdempotency.Targets;

/// <summary>Chooses a scenario's target store and how its table maps back to the ledger.</summary>
/// <remarks>YAML scenario files choose it with <c>target.kind</c> (<c>postgres</c>, <c>mysql</c>, <c>files-append</c> or <c>files-deterministic</c>) beside the column names.</remarks>
public sealed record ScenarioTarget
{
    /// <summary>The kind of a PostgreSQL target.</summary>
    public const string PostgreSqlKind = "postgres";

    /// <summary>The kind of a MySQL or MariaDB target.</summary>
    public const string MySqlKind = "mysql";

    /// <summary>The kind of a folder the worker's file sink appends JSON lines to (<c>file.mode=append</c>): a replayed record is a second line.</summary>
    public const string FilesAppendKind = "files-append";

    /// <summary>The kind of a folder the worker's file sink writes objects named by topic, partition and start offset to (<c>file.mode=deterministic</c>): a replay rewrites the same objects.</summary>
    public const string FilesDeterministicKind = "files-deterministic";

    /// <summary>Gets the kinds a scenario may name.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [PostgreSqlKind, MySqlKind, FilesAppendKind, FilesDeterministicKind];

    /// <summary>Gets the target kind.</summary>
    /// <value><see cref="PostgreSqlKind"/>.</value>
    public string Kind { get; init; } = PostgreSqlKind;

    /// <summary>Gets how the target table's columns map to event ids, keys, versions and source positions; its table and schema are replaced by the run's.</summary>
    /// <value>The event id in column <c>event_id</c>, nothing else mapped.</value>
    public PostgreSqlTableMapping Mapping { get; init; } = new() { Table = "${table}" };

    /// <summary>Creates a PostgreSQL target.</summary>
    /// <param name="mapping">The table mapping, or <see langword="null"/> for the default.</param>
    /// <returns>The target.</returns>
    public static ScenarioTarget PostgreSql(PostgreSqlTableMapping? mapping = null) => mapping is null ? new() : new() { Mapping = mapping };

    /// <summary>Creates a MySQL or MariaDB target.</summary>
    /// <param name="mapping">The table mapping, or <see langword="null"/> for the default.</param>
    /// <returns>The target.</returns>
    public static ScenarioTarget MySql(PostgreSqlTableMapping? mapping = null) => (mapping is null ? new ScenarioTarget() : new() { Mapping = mapping }) with { Kind = MySqlKind };

    /// <summary>Creates a files target for the worker's file sink in one of its modes.</summary>
    /// <param name="deterministic">Whether the sink writes deterministic objects (<see cref="FilesDeterministicKind"/>) rather than appending (<see cref="FilesAppendKind"/>).</param>
    /// <param name="mapping">Which record value fields hold the event id, key, version and payload (the column names of a table mapping), or <see langword="null"/> for the default.</param>
    /// <returns>The target.</returns>
    public static ScenarioTarget Files(bool deterministic, PostgreSqlTableMapping? mapping = null) =>
        (mapping is null ? new ScenarioTarget() : new() { Mapping = mapping }) with { Kind = deterministic ? FilesDeterministicKind : FilesAppendKind };

    /// <summary>Checks the target and throws when it cannot be used.</summary>
    /// <exception cref="ArgumentException">Thrown when the kind is unknown or the mapping invalid.</exception>
    public void Validate()
    {
        if (!Kinds.Contains(Kind, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The target kind '{Kind}' is unknown; use one of {string.Join(", ", Kinds)}.");
        }

        Mapping.Validate();
    }
}
