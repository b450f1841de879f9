namespace SinkIdempotency.Connect;

/// <content>Plugins, validation and the offsets API.</content>
public sealed partial class ConnectRestClient
{
    /// <summary>Lists the installed plugins (<c>GET /connector-plugins</c>).</summary>
    /// <param name="connectorsOnly">Lists only connectors (Connect's default), not converters and transforms.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The plugins.</returns>
    public Task<IReadOnlyList<ConnectorPluginInfo>> ListConnectorPluginsAsync(bool connectorsOnly = true, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ConnectorPluginInfo>>(HttpMethod.Get, $"connector-plugins?connectorsOnly={(connectorsOnly ? "true" : "false")}", null, cancellationToken);

    /// <summary>Validates a configuration against a plugin (<c>PUT /connector-plugins/{plugin}/config/validate</c>).</summary>
    /// <param name="pluginClass">The plugin class (full or simple name).</param>
    /// <param name="config">The configuration; must contain <c>connector.class</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The validation result with its error count and per-key errors.</returns>
    public Task<ConfigValidationResult> ValidateConnectorConfigAsync(string pluginClass, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken = default) =>
        SendAsync<ConfigValidationResult>(HttpMethod.Put, $"connector-plugins/{Segment(pluginClass)}/config/validate", config, cancellationToken);

    /// <summary>Reads a connector's committed offsets (<c>GET /connectors/{name}/offsets</c>, Kafka 3.5+).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The offsets; for sinks read them with <see cref="ConnectorOffsets.ToSinkOffsets"/>.</returns>
    public Task<ConnectorOffsets> GetConnectorOffsetsAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<ConnectorOffsets>(HttpMethod.Get, $"connectors/{Segment(name)}/offsets", null, cancellationToken);

    /// <summary>Alters a stopped connector's offsets (<c>PATCH /connectors/{name}/offsets</c>, Kafka 3.6+).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="offsets">The offsets to set; build sink offsets with <see cref="ConnectorOffsets.ForSink"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Connect's message saying what was altered.</returns>
    public async Task<string> AlterConnectorOffsetsAsync(string name, ConnectorOffsets offsets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var answer = await SendAsync<ConnectMessage>(HttpMethod.Patch, $"connectors/{Segment(name)}/offsets", offsets, cancellationToken).ConfigureAwait(false);
        return answer.Message;
    }

    /// <summary>Resets a stopped connector's offsets (<c>DELETE /connectors/{name}/offsets</c>, Kafka 3.6+); for sinks this deletes the consumer group.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Connect's message saying what was reset.</returns>
    public async Task<string> ResetConnectorOffsetsAsync(string name, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<ConnectMessage>(HttpMethod.Delete, $"connectors/{Segment(name)}/offsets", null, cancellationToken).ConfigureAwait(false);
        return answer.Message;
    }
}
