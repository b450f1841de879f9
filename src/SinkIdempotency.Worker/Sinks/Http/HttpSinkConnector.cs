using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Http;

/// <summary>The built-in HTTP sink (alias <c>HttpSink</c>): one POST per record, optional idempotency key, timeouts and retries.</summary>
internal sealed class HttpSinkConnector(ILoggerFactory loggerFactory) : SinkConnector
{
    public const string ConnectorVersion = "1.0.0";

    private IReadOnlyDictionary<string, string> _config = new Dictionary<string, string>();

    public override string Version => ConnectorVersion;

    public override ConfigDefinition Config => HttpSinkConfig.Definition;

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _config = config;
        return Task.CompletedTask;
    }

    public override SinkTask CreateTask() => new HttpSinkTask(loggerFactory.CreateLogger<HttpSinkTask>());

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        Enumerable.Range(0, maxTasks).Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(_config)).ToList();
}
