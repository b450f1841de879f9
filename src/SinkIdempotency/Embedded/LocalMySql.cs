namespace SinkIdempotency.Embedded;

/// <summary>Runs a private MariaDB (or MySQL) server on 127.0.0.1 from the machine's server binaries; disposing it stops it and deletes its files.</summary>
/// <remarks>
/// Works like <see cref="LocalPostgreSql"/>: the first start per server binary initialises a cached template data folder
/// (<c>mariadb-install-db</c>, or <c>mysqld --initialize-insecure</c>); every instance copies it into its own folder with an
/// owner marker, gets a free port and a short private socket folder, and runs under a watchdog that stops it when the
/// harness process dies. A start removes instances whose owner process has died. As root, the server runs as
/// <see cref="LocalServerOptions.RootServerUser"/> (default <c>mysql</c>, else <c>nobody</c>), never as root.
/// The <c>root</c> account has no password and is reachable only over 127.0.0.1 and the private socket;
/// <see cref="LocalServer{TOptions}.ConnectionString"/> names <see cref="LocalMySqlOptions.Database"/>, which exists once the server is ready.
/// </remarks>
public sealed partial class LocalMySql : LocalServer<LocalMySqlOptions>
{
    private readonly LocalMySqlOptions _options;

    internal LocalMySql(LocalMySqlOptions options)
        : base(options, "MySQL", "mysqld.log", "mysql") => _options = options;

    /// <summary>Gets a JDBC URL for <see cref="LocalMySqlOptions.Database"/> as <c>root</c>, as Confluent's JDBC sink takes it.</summary>
    /// <param name="scheme"><c>mysql</c> (the default) or <c>mariadb</c>.</param>
    /// <param name="port">The port to put in the URL, for example a fault proxy's; the server's own port by default.</param>
    /// <returns>For example <c>jdbc:mysql://127.0.0.1:40123/sinkidempotency?user=root</c>.</returns>
    /// <exception cref="InvalidOperationException">Thrown before the server is started.</exception>
    public string JdbcUrl(string scheme = "mysql", int? port = null)
    {
        _ = ConnectionString;
        return $"jdbc:{scheme}://{Host}:{port ?? Port}/{_options.Database}?user=root";
    }
}
