using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Plugins;
using SinkIdempotency.Worker.Rest;
using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Cluster;

/// <summary>The operations behind the REST API, answered for the whole cluster from the config and status topics.</summary>
internal sealed partial class Herder
{
    public IReadOnlyList<string> ConnectorNames() =>
        _clusterLog.Read(s => s.Connectors.Keys.Order(StringComparer.Ordinal).ToList());

    public (ConnectorDefinition Definition, TargetState State) GetConnector(string name)
    {
        var found = _clusterLog.Read(s => s.Connectors.TryGetValue(name, out var c) ? (c, s.TargetStateOf(name)) : ((ConnectorDefinition?)null, TargetState.Started));
        return found.Item1 is { } definition ? (definition, found.Item2) : throw ConnectRestException.NotFound($"Connector {name} not found");
    }

    /// <summary>Returns the task configurations visible through REST: none while STOPPED, as Connect writes empty task configs on stop.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> VisibleTasks(string name)
    {
        var (definition, state) = GetConnector(name);
        return state == TargetState.Stopped ? [] : definition.TaskConfigs;
    }

    public (StatusRecord Connector, IReadOnlyList<(int Id, StatusRecord Status)> Tasks) Status(string name) =>
        _clusterLog.Read(s =>
        {
            if (!s.Connectors.TryGetValue(name, out var definition) || !s.ConnectorStatuses.TryGetValue(name, out var status))
            {
                throw ConnectRestException.NotFound($"No status found for connector {name}");
            }

            var taskCount = s.TargetStateOf(name) == TargetState.Stopped ? 0 : definition.TaskConfigs.Count;
            var tasks = new List<(int, StatusRecord)>();
            for (var i = 0; i < taskCount; i++)
            {
                if (s.TaskStatuses.TryGetValue(new ConnectorTaskId(name, i), out var task))
                {
                    tasks.Add((i, task));
                }
            }

            return (status, (IReadOnlyList<(int, StatusRecord)>)tasks);
        });

    public StatusRecord TaskStatus(string name, int task) =>
        _clusterLog.Read(s => s.Connectors.TryGetValue(name, out var definition)
                && s.TargetStateOf(name) != TargetState.Stopped
                && task < definition.TaskConfigs.Count
                && s.TaskStatuses.TryGetValue(new ConnectorTaskId(name, task), out var status)
            ? status
            : null) ?? throw ConnectRestException.NotFound($"No status found for task {name}-{task}");

    public ValidationResult Validate(IReadOnlyDictionary<string, string> config) => _validator.Validate(config);

    /// <summary>Creates or updates a connector; returns whether it was created.</summary>
    public async Task<bool> PutConnectorAsync(string name, Dictionary<string, string> config, bool allowReplace, TargetState? initialState, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl))
        {
            throw ConnectRestException.BadRequest("Connector name is null or empty, or contains control characters");
        }

        if (config.TryGetValue("name", out var configName) && configName != name)
        {
            throw ConnectRestException.BadRequest($"Connector name configuration ({configName}) doesn't match connector name in the URL ({name})");
        }

        config["name"] = name;
        if (!config.ContainsKey("connector.class"))
        {
            throw ConnectRestException.BadRequest($"Connector config {{{string.Join(", ", config.Select(e => e.Key + "=" + e.Value))}}} contains no connector type");
        }

        var validation = Validate(config);
        if (validation.ErrorCount > 0)
        {
            throw ConnectRestException.BadRequest(validation.InvalidMessage());
        }

        var exists = _clusterLog.Read(s => s.Connectors.ContainsKey(name));
        if (exists && !allowReplace)
        {
            throw ConnectRestException.Conflict($"Connector {name} already exists");
        }

        var taskConfigs = await GenerateTaskConfigsAsync(config, cancellationToken).ConfigureAwait(false);
        if (!exists && initialState is { } initial)
        {
            await _clusterLog.WriteConfigAsync(ClusterRecords.TargetStatePrefix + name, ClusterRecords.EncodeTargetState(initial), cancellationToken).ConfigureAwait(false);
        }
        else if (!exists)
        {
            await _clusterLog.WriteConfigAsync(ClusterRecords.TargetStatePrefix + name, ClusterRecords.EncodeTargetState(TargetState.Started), cancellationToken).ConfigureAwait(false);
        }

        await _clusterLog.WriteConfigAsync(ClusterRecords.ConnectorPrefix + name, ClusterRecords.EncodeConnector(config, taskConfigs), cancellationToken).ConfigureAwait(false);
        return !exists;
    }

    public Task PauseAsync(string name, CancellationToken cancellationToken) => SetTargetStateAsync(name, TargetState.Paused, $"Unknown connector {name}", cancellationToken);

    public Task ResumeAsync(string name, CancellationToken cancellationToken) => SetTargetStateAsync(name, TargetState.Started, $"Unknown connector {name}", cancellationToken);

    public Task StopAsync(string name, CancellationToken cancellationToken) => SetTargetStateAsync(name, TargetState.Stopped, $"Unknown connector {name}", cancellationToken);

    /// <summary>Asks for a restart; returns the connector status with RESTARTING where instances will restart, or null for the legacy (connector-only) form.</summary>
    public async Task<(StatusRecord Connector, IReadOnlyList<(int Id, StatusRecord Status)> Tasks)?> RestartConnectorAsync(
        string name,
        bool includeTasks,
        bool onlyFailed,
        CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (!_clusterLog.Read(s => s.Connectors.ContainsKey(name)))
        {
            throw ConnectRestException.NotFound($"Unknown connector: {name}");
        }

        (StatusRecord Connector, IReadOnlyList<(int Id, StatusRecord Status)> Tasks) status;
        try
        {
            status = Status(name);
        }
        catch (ConnectRestException e) when (e.StatusCode == 404)
        {
            throw ConnectRestException.NotFound($"Status for connector {name} not found");
        }

        await _clusterLog.WriteConfigAsync(
            ClusterRecords.RestartConnectorPrefix + name,
            ClusterRecords.EncodeRestart(new RestartRequest(name, null, includeTasks, onlyFailed)),
            cancellationToken).ConfigureAwait(false);
        if (!includeTasks && !onlyFailed)
        {
            return null;
        }

        var connector = !onlyFailed || status.Connector.State == "FAILED" ? status.Connector with { State = "RESTARTING", Trace = null } : status.Connector;
        var tasks = status.Tasks
            .Select(t => includeTasks && (!onlyFailed || t.Status.State == "FAILED") ? (t.Id, t.Status with { State = "RESTARTING", Trace = null }) : t)
            .ToList();
        return (connector, tasks);
    }

    public async Task RestartTaskAsync(string name, int task, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var definition = _clusterLog.Read(s => s.Connectors.GetValueOrDefault(name))
            ?? throw ConnectRestException.NotFound($"Unknown connector: {name}");
        if (task < 0 || task >= definition.TaskConfigs.Count || _clusterLog.Read(s => s.TargetStateOf(name)) == TargetState.Stopped)
        {
            throw ConnectRestException.NotFound($"Unknown task: {name}-{task}");
        }

        await _clusterLog.WriteConfigAsync(
            ClusterRecords.TaskKey(ClusterRecords.RestartTaskPrefix, new ConnectorTaskId(name, task)),
            ClusterRecords.EncodeRestart(new RestartRequest(name, task, true, false)),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var definition = _clusterLog.Read(s => s.Connectors.GetValueOrDefault(name))
            ?? throw ConnectRestException.NotFound($"Connector {name} not found");
        await _clusterLog.WriteConfigAsync(ClusterRecords.ConnectorPrefix + name, null, cancellationToken).ConfigureAwait(false);
        await _clusterLog.WriteConfigAsync(ClusterRecords.TargetStatePrefix + name, null, cancellationToken).ConfigureAwait(false);
        await _clusterLog.WriteStatusAsync(ClusterRecords.ConnectorStatusPrefix + name, null, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < definition.TaskConfigs.Count; i++)
        {
            await _clusterLog.WriteStatusAsync(ClusterRecords.TaskKey(ClusterRecords.TaskStatusPrefix, new ConnectorTaskId(name, i)), null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SetTargetStateAsync(string name, TargetState state, string notFound, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (!_clusterLog.Read(s => s.Connectors.ContainsKey(name)))
        {
            throw ConnectRestException.NotFound(notFound);
        }

        await _clusterLog.WriteConfigAsync(ClusterRecords.TargetStatePrefix + name, ClusterRecords.EncodeTargetState(state), cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> GenerateTaskConfigsAsync(Dictionary<string, string> config, CancellationToken cancellationToken)
    {
        var plugin = _plugins.Find(config["connector.class"])!;
        var connector = plugin.Create();
        await connector.StartAsync(config, cancellationToken).ConfigureAwait(false);
        try
        {
            var maxTasks = int.Parse(config.GetValueOrDefault("tasks.max", "1"), System.Globalization.CultureInfo.InvariantCulture);
            var generated = connector.TaskConfigs(maxTasks);
            if (generated.Count > maxTasks)
            {
                throw new ConnectException($"Connector {config["name"]} generated {generated.Count} tasks, more than tasks.max={maxTasks}");
            }

            // As Connect's Worker.connectorTaskConfigs: sink tasks get the topics and the task class.
            return generated.Select(task =>
            {
                var copy = new Dictionary<string, string>(task) { ["task.class"] = plugin.ClassName.Replace("Connector", "Task", StringComparison.Ordinal) };
                foreach (var key in new[] { "topics", "topics.regex" })
                {
                    if (config.TryGetValue(key, out var value))
                    {
                        copy[key] = value;
                    }
                }

                return (IReadOnlyDictionary<string, string>)copy;
            }).ToList();
        }
        finally
        {
            await connector.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await _clusterLog.WaitUntilReadyAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectRestException(500, "Request timed out");
        }
    }
}
