using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Plugins;

/// <summary>The outcome of validating a connector configuration (Connect's <c>ConfigInfos</c>).</summary>
internal sealed record ValidationResult(string ConnectorClass, IReadOnlyList<string> Groups, IReadOnlyList<(ConfigKeyDefinition Definition, ConfigValue Value)> Configs)
{
    public int ErrorCount => Configs.Sum(c => c.Value.Errors.Count);

    public IEnumerable<string> Errors => Configs.SelectMany(c => c.Value.Errors);

    /// <summary>Formats the 400 message of <c>POST /connectors</c> and <c>PUT …/config</c>, as Connect's herder does.</summary>
    public string InvalidMessage() =>
        $"Connector configuration is invalid and contains the following {ErrorCount} error(s):\n"
        + string.Concat(Errors.Select(e => e + "\n"))
        + "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`";
}
