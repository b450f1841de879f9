using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin.Window;

/// <summary>Configures the crash-window test sinks: a PostgreSQL URL, credentials and the table, handed to every task as is.</summary>
public abstract class WindowSinkConnector : SinkConnector
{
    private IReadOnlyDictionary<string, string> _config = new Dictionary<string, string>();

    public override string Version => "0.1.0-test";

    public override ConfigDefinition Config { get; } = new ConfigDefinition()
        .Define(new ConfigKeyDefinition { Name = "connection.url", IsRequired = true, Importance = ConfigImportance.High, Documentation = "jdbc:postgresql://host:port/database" })
        .Define(new ConfigKeyDefinition { Name = "connection.user", Importance = ConfigImportance.High, Documentation = "Database user." })
        .Define(new ConfigKeyDefinition { Name = "connection.password", Importance = ConfigImportance.High, Documentation = "Database password." })
        .Define(new ConfigKeyDefinition { Name = "table.name.format", IsRequired = true, Importance = ConfigImportance.High, Documentation = "The table the rows go to." });

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _config = config;
        return Task.CompletedTask;
    }

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        Enumerable.Range(0, maxTasks).Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(_config)).ToList();
}
