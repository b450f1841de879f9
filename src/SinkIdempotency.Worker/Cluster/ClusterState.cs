using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Cluster;

/// <summary>
/// The cluster's view materialized from the config and status topics: last value per key wins, a tombstone deletes.
/// Not thread-safe: the owner serializes access.
/// </summary>
internal sealed class ClusterState
{
    private readonly Dictionary<string, ConnectorDefinition> _connectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TargetState> _targetStates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StatusRecord> _connectorStatuses = new(StringComparer.Ordinal);
    private readonly Dictionary<ConnectorTaskId, StatusRecord> _taskStatuses = [];

    public IReadOnlyDictionary<string, ConnectorDefinition> Connectors => _connectors;

    public IReadOnlyDictionary<string, StatusRecord> ConnectorStatuses => _connectorStatuses;

    public IReadOnlyDictionary<ConnectorTaskId, StatusRecord> TaskStatuses => _taskStatuses;

    public TargetState TargetStateOf(string connector) => _targetStates.TryGetValue(connector, out var state) ? state : TargetState.Started;

    /// <summary>Applies one config-topic record; returns a restart request when the record is one.</summary>
    public RestartRequest? ApplyConfig(string key, byte[]? value, long offset)
    {
        if (key.StartsWith(ClusterRecords.ConnectorPrefix, StringComparison.Ordinal))
        {
            var name = key[ClusterRecords.ConnectorPrefix.Length..];
            if (value is null)
            {
                _connectors.Remove(name);
            }
            else
            {
                var (config, tasks) = ClusterRecords.DecodeConnector(value);

                // As Connect, tasks are reconfigured (restarted) only when their configurations change.
                var generation = _connectors.TryGetValue(name, out var previous) && SameTasks(previous.TaskConfigs, tasks) ? previous.Generation : offset;
                _connectors[name] = new ConnectorDefinition(name, config, tasks, generation);
            }
        }
        else if (key.StartsWith(ClusterRecords.TargetStatePrefix, StringComparison.Ordinal))
        {
            var name = key[ClusterRecords.TargetStatePrefix.Length..];
            if (value is null)
            {
                _targetStates.Remove(name);
            }
            else
            {
                _targetStates[name] = ClusterRecords.DecodeTargetState(value);
            }
        }
        else if (value is not null && key.StartsWith(ClusterRecords.RestartConnectorPrefix, StringComparison.Ordinal))
        {
            return ClusterRecords.DecodeRestartConnector(key[ClusterRecords.RestartConnectorPrefix.Length..], value);
        }
        else if (value is not null && key.StartsWith(ClusterRecords.RestartTaskPrefix, StringComparison.Ordinal)
            && ClusterRecords.TryParseTaskSuffix(key[ClusterRecords.RestartTaskPrefix.Length..], out var task))
        {
            return new RestartRequest(task.Connector, task.Task, IncludeTasks: true, OnlyFailed: false);
        }

        return null;
    }

    private static bool SameTasks(IReadOnlyList<IReadOnlyDictionary<string, string>> a, IReadOnlyList<IReadOnlyDictionary<string, string>> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Count == p.Second.Count && p.First.All(e => p.Second.TryGetValue(e.Key, out var v) && v == e.Value));

    public void ApplyStatus(string key, byte[]? value)
    {
        if (key.StartsWith(ClusterRecords.ConnectorStatusPrefix, StringComparison.Ordinal))
        {
            var name = key[ClusterRecords.ConnectorStatusPrefix.Length..];
            if (value is null)
            {
                _connectorStatuses.Remove(name);
            }
            else
            {
                _connectorStatuses[name] = ClusterRecords.DecodeStatus(value);
            }
        }
        else if (key.StartsWith(ClusterRecords.TaskStatusPrefix, StringComparison.Ordinal)
            && ClusterRecords.TryParseTaskSuffix(key[ClusterRecords.TaskStatusPrefix.Length..], out var task))
        {
            if (value is null)
            {
                _taskStatuses.Remove(task);
            }
            else
            {
                _taskStatuses[task] = ClusterRecords.DecodeStatus(value);
            }
        }
    }
}
