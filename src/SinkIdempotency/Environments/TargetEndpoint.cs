using Npgsql;
using SinkIdempotency.Connect;

namespace SinkIdempotency.Environments;

/// <summary>Describes how to reach the target PostgreSQL: directly for the harness's reads, and the address connectors must use (through the fault proxy when there is one).</summary>
/// <param name="ConnectionString">Gets the Npgsql connection string the harness uses to create tables and read the target directly (never through the proxy).</param>
/// <param name="SinkHost">Gets the host connectors connect to.</param>
/// <param name="SinkPort">Gets the port connectors connect to (the fault proxy's port when faults are possible).</param>
public sealed record TargetEndpoint(string ConnectionString, string SinkHost, int SinkPort)
{
    /// <summary>Gets the Npgsql connection string connectors use: <see cref="ConnectionString"/> with the sink host and port.</summary>
    /// <value>The direct connection string re-pointed at <see cref="SinkHost"/>:<see cref="SinkPort"/>.</value>
    public string SinkConnectionString => new NpgsqlConnectionStringBuilder(ConnectionString) { Host = SinkHost, Port = SinkPort }.ConnectionString;

    /// <summary>Gets the JDBC URL connectors running on the JVM use (for the Confluent JDBC sink's <c>connection.url</c>).</summary>
    /// <value><c>jdbc:postgresql://host:port/database</c>.</value>
    public string SinkJdbcUrl => $"jdbc:postgresql://{SinkHost}:{SinkPort}/{new NpgsqlConnectionStringBuilder(ConnectionString).Database ?? "postgres"}";

    /// <summary>Gets the host connectors use to reach the target bypassing the fault proxy, or <see langword="null"/> when it is the host of <see cref="ConnectionString"/>.</summary>
    /// <value>The default is <see langword="null"/>; the Docker environment sets its network alias (<c>postgres</c>), since connectors in containers cannot use the harness's published port.</value>
    public string? DirectSinkHost { get; init; }

    /// <summary>Gets the port connectors use to reach the target bypassing the fault proxy, or <see langword="null"/> when it is the port of <see cref="ConnectionString"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? DirectSinkPort { get; init; }

    /// <summary>Formats the endpoint with passwords redacted, safe for reports.</summary>
    /// <returns>The redacted connection string and the sink address.</returns>
    public override string ToString() => $"{SecretRedactor.RedactConnectionString(ConnectionString)} (connectors use {SinkHost}:{SinkPort})";
}
