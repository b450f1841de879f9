using System.Net;

namespace SinkIdempotency.Connect;

/// <content>Connectors: list, create, configure, inspect, pause/resume/stop, restart and delete.</content>
public sealed partial class ConnectRestClient
{
    /// <summary>Reads the worker's version, commit and Kafka cluster id (<c>GET /</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server information.</returns>
    public Task<ConnectServerInfo> GetServerInfoAsync(CancellationToken cancellationToken = default) =>
        SendAsync<ConnectServerInfo>(HttpMethod.Get, string.Empty, null, cancellationToken);

    /// <summary>Lists the names of all connectors (<c>GET /connectors</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connector names.</returns>
    public Task<IReadOnlyList<string>> ListConnectorsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<string>>(HttpMethod.Get, "connectors", null, cancellationToken);

    /// <summary>Lists all connectors with their status and/or info (<c>GET /connectors?expand=status&amp;expand=info</c>).</summary>
    /// <param name="status">Includes each connector's status.</param>
    /// <param name="info">Includes each connector's configuration and tasks.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Connector name → what was asked for.</returns>
    public Task<IReadOnlyDictionary<string, ConnectorExpansion>> ListConnectorsExpandedAsync(bool status = true, bool info = true, CancellationToken cancellationToken = default)
    {
        if (!status && !info)
        {
            throw new ArgumentException("Ask for status, info or both; without either, use ListConnectorsAsync.", nameof(status));
        }

        var query = string.Join('&', new[] { status ? "expand=status" : null, info ? "expand=info" : null }.Where(q => q is not null));
        return SendAsync<IReadOnlyDictionary<string, ConnectorExpansion>>(HttpMethod.Get, "connectors?" + query, null, cancellationToken);
    }

    /// <summary>Creates a connector (<c>POST /connectors</c>); Connect answers 409 when it exists and 400 when the config is invalid.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="config">The connector configuration.</param>
    /// <param name="initialState">The state to create it in (<c>RUNNING</c>, <c>PAUSED</c> or <c>STOPPED</c>; Kafka 3.7+), or <see langword="null"/> for RUNNING.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created connector.</returns>
    public Task<ConnectorInfo> CreateConnectorAsync(string name, IReadOnlyDictionary<string, string> config, string? initialState = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(config);
        var body = new Dictionary<string, object>(StringComparer.Ordinal) { ["name"] = name, ["config"] = config };
        if (initialState is not null)
        {
            body["initial_state"] = initialState;
        }

        return SendAsync<ConnectorInfo>(HttpMethod.Post, "connectors", body, cancellationToken);
    }

    /// <summary>Reads a connector's configuration and tasks (<c>GET /connectors/{name}</c>).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connector.</returns>
    public Task<ConnectorInfo> GetConnectorAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<ConnectorInfo>(HttpMethod.Get, $"connectors/{Segment(name)}", null, cancellationToken);

    /// <summary>Reads a connector's configuration (<c>GET /connectors/{name}/config</c>).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The configuration, including <c>name</c>.</returns>
    public Task<IReadOnlyDictionary<string, string>> GetConnectorConfigAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyDictionary<string, string>>(HttpMethod.Get, $"connectors/{Segment(name)}/config", null, cancellationToken);

    /// <summary>Creates or replaces a connector's configuration (<c>PUT /connectors/{name}/config</c>).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="config">The full configuration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connector after the change.</returns>
    public Task<ConnectorInfo> PutConnectorConfigAsync(string name, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken = default) =>
        SendAsync<ConnectorInfo>(HttpMethod.Put, $"connectors/{Segment(name)}/config", config, cancellationToken);

    /// <summary>Changes some keys of a connector's configuration (<c>PATCH /connectors/{name}/config</c>, Kafka 3.8+); a <see langword="null"/> value removes the key.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="changes">The keys to set or remove.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connector after the change.</returns>
    public Task<ConnectorInfo> PatchConnectorConfigAsync(string name, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken = default) =>
        SendAsync<ConnectorInfo>(HttpMethod.Patch, $"connectors/{Segment(name)}/config", changes, cancellationToken);

    /// <summary>Reads a connector's state and its tasks' states (<c>GET /connectors/{name}/status</c>).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    public Task<ConnectorStatus> GetConnectorStatusAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<ConnectorStatus>(HttpMethod.Get, $"connectors/{Segment(name)}/status", null, cancellationToken);

    /// <summary>Reads a connector's tasks and their configurations (<c>GET /connectors/{name}/tasks</c>).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tasks.</returns>
    public Task<IReadOnlyList<ConnectorTaskInfo>> GetConnectorTasksAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ConnectorTaskInfo>>(HttpMethod.Get, $"connectors/{Segment(name)}/tasks", null, cancellationToken);

    /// <summary>Reads one task's state (<c>GET /connectors/{name}/tasks/{task}/status</c>).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="task">The task number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task status.</returns>
    public Task<ConnectorTaskStatus> GetTaskStatusAsync(string name, int task, CancellationToken cancellationToken = default) =>
        SendAsync<ConnectorTaskStatus>(HttpMethod.Get, $"connectors/{Segment(name)}/tasks/{task}/status", null, cancellationToken);

    /// <summary>Reads the topics a connector has used (<c>GET /connectors/{name}/topics</c>); Connect answers 403 when topic tracking is off.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The topic names.</returns>
    public async Task<IReadOnlyList<string>> GetConnectorTopicsAsync(string name, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<IReadOnlyDictionary<string, ConnectorTopics>>(HttpMethod.Get, $"connectors/{Segment(name)}/topics", null, cancellationToken).ConfigureAwait(false);
        return answer.TryGetValue(name, out var topics) ? topics.Topics : [];
    }

    /// <summary>Pauses a connector and its tasks (<c>PUT /connectors/{name}/pause</c>); the change is asynchronous.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Connect accepted the request.</returns>
    public Task PauseConnectorAsync(string name, CancellationToken cancellationToken = default) =>
        SendNoResultAsync(HttpMethod.Put, $"connectors/{Segment(name)}/pause", null, cancellationToken);

    /// <summary>Resumes a paused or stopped connector (<c>PUT /connectors/{name}/resume</c>); the change is asynchronous.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Connect accepted the request.</returns>
    public Task ResumeConnectorAsync(string name, CancellationToken cancellationToken = default) =>
        SendNoResultAsync(HttpMethod.Put, $"connectors/{Segment(name)}/resume", null, cancellationToken);

    /// <summary>Stops a connector and shuts its tasks down (<c>PUT /connectors/{name}/stop</c>, Kafka 3.5+); required before altering offsets.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Connect accepted the request.</returns>
    public Task StopConnectorAsync(string name, CancellationToken cancellationToken = default) =>
        SendNoResultAsync(HttpMethod.Put, $"connectors/{Segment(name)}/stop", null, cancellationToken);

    /// <summary>Restarts a connector and optionally its tasks (<c>POST /connectors/{name}/restart</c>).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="includeTasks">Restarts the tasks too.</param>
    /// <param name="onlyFailed">Restarts only instances that are FAILED.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status with the instances being restarted marked RESTARTING (202), or <see langword="null"/> when Connect answered 204 (both flags false).</returns>
    public Task<ConnectorStatus?> RestartConnectorAsync(string name, bool includeTasks = false, bool onlyFailed = false, CancellationToken cancellationToken = default) =>
        SendOptionalAsync<ConnectorStatus>(
            HttpMethod.Post,
            $"connectors/{Segment(name)}/restart?includeTasks={(includeTasks ? "true" : "false")}&onlyFailed={(onlyFailed ? "true" : "false")}",
            null,
            cancellationToken);

    /// <summary>Restarts one task (<c>POST /connectors/{name}/tasks/{task}/restart</c>).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="task">The task number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Connect accepted the request.</returns>
    public Task RestartTaskAsync(string name, int task, CancellationToken cancellationToken = default) =>
        SendNoResultAsync(HttpMethod.Post, $"connectors/{Segment(name)}/tasks/{task}/restart", null, cancellationToken);

    /// <summary>Deletes a connector (<c>DELETE /connectors/{name}</c>); its committed offsets stay in its consumer group.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Connect accepted the request.</returns>
    public Task DeleteConnectorAsync(string name, CancellationToken cancellationToken = default) =>
        SendNoResultAsync(HttpMethod.Delete, $"connectors/{Segment(name)}", null, cancellationToken);

    /// <summary>Deletes a connector if it exists, treating 404 as already deleted.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when a connector was deleted, <see langword="false"/> when there was none.</returns>
    public async Task<bool> DeleteConnectorIfExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await DeleteConnectorAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConnectRestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
