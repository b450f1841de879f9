using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Cluster;

/// <summary>
/// Encodes the config and status topics, using Connect's key names where Connect has them:
/// <c>connector-&lt;name&gt;</c> (config plus task configs), <c>target-state-&lt;name&gt;</c>, <c>restart-connector-&lt;name&gt;</c>,
/// <c>restart-task-&lt;name&gt;-&lt;id&gt;</c>, <c>status-connector-&lt;name&gt;</c>, <c>status-task-&lt;name&gt;-&lt;id&gt;</c>.
/// A null value (tombstone) deletes.
/// </summary>
internal static class ClusterRecords
{
    public const string ConnectorPrefix = "connector-";
    public const string TargetStatePrefix = "target-state-";
    public const string RestartConnectorPrefix = "restart-connector-";
    public const string RestartTaskPrefix = "restart-task-";
    public const string ConnectorStatusPrefix = "status-connector-";
    public const string TaskStatusPrefix = "status-task-";

    public static byte[] EncodeConnector(IReadOnlyDictionary<string, string> config, IReadOnlyList<IReadOnlyDictionary<string, string>> taskConfigs)
    {
        var tasks = new JsonArray();
        foreach (var task in taskConfigs)
        {
            tasks.Add(ToObject(task));
        }

        return Utf8(new JsonObject { ["properties"] = ToObject(config), ["tasks"] = tasks });
    }

    public static (IReadOnlyDictionary<string, string> Config, IReadOnlyList<IReadOnlyDictionary<string, string>> Tasks) DecodeConnector(byte[] value)
    {
        var json = JsonNode.Parse(value)!.AsObject();
        var config = ToMap(json["properties"]!.AsObject());
        var tasks = json["tasks"]!.AsArray().Select(t => (IReadOnlyDictionary<string, string>)ToMap(t!.AsObject())).ToList();
        return (config, tasks);
    }

    public static byte[] EncodeTargetState(TargetState state) =>
        Utf8(new JsonObject { ["state"] = state.ToString().ToUpperInvariant() });

    public static TargetState DecodeTargetState(byte[] value) =>
        JsonNode.Parse(value)!["state"]!.GetValue<string>() switch
        {
            "PAUSED" => TargetState.Paused,
            "STOPPED" => TargetState.Stopped,
            _ => TargetState.Started,
        };

    public static byte[] EncodeRestart(RestartRequest request) =>
        Utf8(new JsonObject
        {
            ["include-tasks"] = request.IncludeTasks,
            ["only-failed"] = request.OnlyFailed,
            ["nonce"] = Guid.NewGuid().ToString("N"),
        });

    public static RestartRequest DecodeRestartConnector(string connector, byte[] value)
    {
        var json = JsonNode.Parse(value)!;
        return new RestartRequest(connector, null, json["include-tasks"]?.GetValue<bool>() ?? false, json["only-failed"]?.GetValue<bool>() ?? false);
    }

    public static byte[] EncodeStatus(StatusRecord status)
    {
        var json = new JsonObject { ["state"] = status.State, ["worker_id"] = status.WorkerId };
        if (!string.IsNullOrEmpty(status.Trace))
        {
            json["trace"] = status.Trace;
        }

        return Utf8(json);
    }

    public static StatusRecord DecodeStatus(byte[] value)
    {
        var json = JsonNode.Parse(value)!;
        return new StatusRecord(json["state"]!.GetValue<string>(), json["worker_id"]!.GetValue<string>(), json["trace"]?.GetValue<string>());
    }

    public static string TaskKey(string prefix, ConnectorTaskId id) => prefix + id.Connector + "-" + id.Task.ToString(CultureInfo.InvariantCulture);

    /// <summary>Splits <c>name-3</c> into connector and task id (connector names may contain dashes).</summary>
    public static bool TryParseTaskSuffix(string suffix, out ConnectorTaskId id)
    {
        var dash = suffix.LastIndexOf('-');
        if (dash > 0 && int.TryParse(suffix[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var task))
        {
            id = new ConnectorTaskId(suffix[..dash], task);
            return true;
        }

        id = default;
        return false;
    }

    private static JsonObject ToObject(IReadOnlyDictionary<string, string> map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            obj[key] = value;
        }

        return obj;
    }

    private static Dictionary<string, string> ToMap(JsonObject obj) =>
        obj.ToDictionary(e => e.Key, e => e.Value?.GetValue<string>() ?? "");

    private static byte[] Utf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
}
