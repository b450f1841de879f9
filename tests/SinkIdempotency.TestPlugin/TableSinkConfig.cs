using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>The settings of the table sinks (<see cref="SwallowingErrorsSinkConnector"/>, <see cref="StrictTableSinkConnector"/>): JDBC-sink-like keys.</summary>
internal sealed record TableSinkConfig(string ConnectionString, string Table)
{
    public static ConfigDefinition Definition { get; } = new ConfigDefinition()
        .Define(new ConfigKeyDefinition { Name = "connection.url", IsRequired = true, Importance = ConfigImportance.High, Documentation = "jdbc:postgresql://host:port/database" })
        .Define(new ConfigKeyDefinition { Name = "connection.user", Importance = ConfigImportance.High, Documentation = "The database user." })
        .Define(new ConfigKeyDefinition { Name = "connection.password", Type = ConfigType.Password, Importance = ConfigImportance.High, Documentation = "The database password." })
        .Define(new ConfigKeyDefinition { Name = "table.name.format", DefaultValue = "${topic}", Importance = ConfigImportance.Medium, Documentation = "The table the records go to." });

    public static TableSinkConfig Parse(IReadOnlyDictionary<string, string> config)
    {
        var url = new Uri(config["connection.url"]["jdbc:".Length..]);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.Port > 0 ? url.Port : 5432,
            Database = url.AbsolutePath.Trim('/'),
            Username = config.TryGetValue("connection.user", out var user) ? user : null,
            Password = config.TryGetValue("connection.password", out var password) ? password : null,
            Pooling = false,
        };
        return new TableSinkConfig(builder.ConnectionString, config.TryGetValue("table.name.format", out var table) ? table : "records");
    }
}
