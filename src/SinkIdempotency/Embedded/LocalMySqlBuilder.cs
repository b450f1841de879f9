namespace SinkIdempotency.Embedded;

/// <summary>Builds a local MariaDB or MySQL server from the machine's server binaries; every <c>With…</c> returns a new builder.</summary>
/// <example>
/// <code>
/// await using var mysql = await new LocalMySqlBuilder().StartAsync(cancellationToken);
/// await using var connection = new MySqlConnection(mysql.ConnectionString);
/// </code>
/// </example>
public sealed class LocalMySqlBuilder : LocalServerBuilder<LocalMySqlBuilder, LocalMySql, LocalMySqlOptions>
{
    /// <summary>Initializes a builder with the default options.</summary>
    public LocalMySqlBuilder()
        : this(new LocalMySqlOptions())
    {
    }

    private LocalMySqlBuilder(LocalMySqlOptions options)
        : base(options)
    {
    }

    /// <summary>Names the database created at start.</summary>
    /// <param name="database">A plain name of letters, digits and underscores.</param>
    /// <returns>A new builder.</returns>
    public LocalMySqlBuilder WithDatabase(string database) => new(Options with { Database = database });

    private protected override LocalMySqlBuilder Clone(LocalMySqlOptions options) => new(options);

    private protected override LocalMySql Create(LocalMySqlOptions options) => new(options);
}
