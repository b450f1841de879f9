using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>The built-in relational sink, configured like Confluent's JDBC sink: PostgreSQL, MySQL or MariaDB as <c>connection.url</c> names (aliases <c>PostgresSink</c>, <c>JdbcSink</c>, <c>JdbcSinkConnector</c>).</summary>
internal sealed class PostgresSinkConnector(ILoggerFactory loggerFactory) : SinkConnector
{
    public const string ConnectorVersion = "1.0.0";

    private IReadOnlyDictionary<string, string> _config = new Dictionary<string, string>();

    public override string Version => ConnectorVersion;

    public override ConfigDefinition Config => PostgresSinkConfig.Definition;

    public override IReadOnlyList<ConfigValue> Validate(IReadOnlyDictionary<string, string> config)
    {
        var results = base.Validate(config);
        if (results.All(r => r.Errors.Count == 0))
        {
            try
            {
                _ = PostgresSinkConfig.Parse(config);
            }
            catch (ConfigException e)
            {
                var target = e.Message.Contains("delete support", StringComparison.Ordinal) ? "delete.enabled" : "pk.fields";
                results.First(r => r.Name == target).Errors.Add(e.Message);
            }
        }

        return results;
    }

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _config = config;
        return Task.CompletedTask;
    }

    public override SinkTask CreateTask() => new PostgresSinkTask(loggerFactory.CreateLogger<PostgresSinkTask>());

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        Enumerable.Range(0, maxTasks).Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(_config)).ToList();
}
