namespace SinkIdempotency.Targets;

/// <summary>Chooses a scenario's target store and how its table maps back to the ledger.</summary>
/// <remarks>YAML scenario files choose it with <c>target.kind</c> (<c>postgres</c> or <c>mysql</c>) beside the column names.</remarks>
public sealed record ScenarioTarget
{
    /// <summary>The kind of a PostgreSQL target.</summary>
    public const string PostgreSqlKind = "postgres";

    /// <summary>The kind of a MySQL or MariaDB target.</summary>
    public const string MySqlKind = "mysql";

    /// <summary>Gets the kinds a scenario may name.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [PostgreSqlKind, MySqlKind];

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
