using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>A plugin sink that appends every record as a JSON line to <c>line.directory/TOPIC+PARTITION.jsonl</c>.</summary>
public sealed class LineSinkConnector : SinkConnector
{
    private IReadOnlyDictionary<string, string> _config = new Dictionary<string, string>();

    public override string Version => "0.1.0-test";

    public override ConfigDefinition Config { get; } = new ConfigDefinition()
        .Define(new ConfigKeyDefinition { Name = "line.directory", IsRequired = true, Importance = ConfigImportance.High, Documentation = "Folder the lines are appended to." });

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _config = config;
        return Task.CompletedTask;
    }

    public override SinkTask CreateTask() => new LineSinkTask();

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        Enumerable.Range(0, maxTasks).Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(_config)).ToList();
}
