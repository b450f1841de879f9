using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Files;

/// <summary>The built-in file / object-store sink (alias <c>FileSink</c>): appended files, or S3-sink-like deterministic objects.</summary>
internal sealed class FileSinkConnector(ILoggerFactory loggerFactory) : SinkConnector
{
    public const string ConnectorVersion = "1.0.0";

    private IReadOnlyDictionary<string, string> _config = new Dictionary<string, string>();

    public override string Version => ConnectorVersion;

    public override ConfigDefinition Config => FileSinkConfig.Definition;

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _config = config;
        return Task.CompletedTask;
    }

    public override SinkTask CreateTask() => new FileSinkTask(loggerFactory.CreateLogger<FileSinkTask>());

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        Enumerable.Range(0, maxTasks).Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(_config)).ToList();
}
