using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>The connector half of the table sinks: one task configuration per task, the connector's own settings.</summary>
public abstract class TableSinkConnector : SinkConnector
{
    private IReadOnlyDictionary<string, string> _config = new Dictionary<string, string>();

    public override string Version => "0.1.0-test";

    public override ConfigDefinition Config => TableSinkConfig.Definition;

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _config = config;
        return Task.CompletedTask;
    }

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        [.. Enumerable.Range(0, maxTasks).Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(_config))];
}
