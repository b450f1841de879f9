using System.Text.Json.Nodes;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Cluster;
using SinkIdempotency.Worker.Plugins;

namespace SinkIdempotency.Worker.Rest;

/// <summary>Builds the JSON bodies of Connect's REST entities (<c>ConnectorInfo</c>, <c>ConnectorStateInfo</c>, <c>TaskInfo</c>, <c>ConfigInfos</c>, <c>ErrorMessage</c>).</summary>
internal static class RestShapes
{
    public static JsonObject Error(int status, string message) => new() { ["error_code"] = status, ["message"] = message };

    public static JsonObject Map(IReadOnlyDictionary<string, string> map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            obj[key] = value;
        }

        return obj;
    }

    public static JsonObject ConnectorInfo(string name, IReadOnlyDictionary<string, string> config, int taskCount)
    {
        var tasks = new JsonArray();
        for (var i = 0; i < taskCount; i++)
        {
            tasks.Add(TaskId(name, i));
        }

        return new JsonObject { ["name"] = name, ["config"] = Map(config), ["tasks"] = tasks, ["type"] = "sink" };
    }

    public static JsonObject TaskId(string name, int task) => new() { ["connector"] = name, ["task"] = task };

    public static JsonObject State(StatusRecord status, int? id = null)
    {
        var obj = new JsonObject();
        if (id is { } taskId)
        {
            obj["id"] = taskId;
        }

        obj["state"] = status.State;
        obj["worker_id"] = status.WorkerId;
        if (!string.IsNullOrEmpty(status.Trace))
        {
            obj["trace"] = status.Trace;
        }

        return obj;
    }

    public static JsonObject ConnectorState(string name, StatusRecord connector, IReadOnlyList<(int Id, StatusRecord Status)> tasks)
    {
        var taskArray = new JsonArray();
        foreach (var (id, status) in tasks)
        {
            taskArray.Add(State(status, id));
        }

        return new JsonObject { ["name"] = name, ["connector"] = State(connector), ["tasks"] = taskArray, ["type"] = "sink" };
    }

    public static JsonObject ConfigInfos(ValidationResult result)
    {
        var configs = new JsonArray();
        foreach (var (definition, value) in result.Configs)
        {
            configs.Add(new JsonObject
            {
                ["definition"] = new JsonObject
                {
                    ["name"] = definition.Name,
                    ["type"] = definition.Type.ToString().ToUpperInvariant(),
                    ["required"] = definition.IsRequired,
                    ["default_value"] = definition.IsRequired ? null : definition.DefaultValue,
                    ["importance"] = definition.Importance.ToString().ToUpperInvariant(),
                    ["documentation"] = definition.Documentation,
                    ["group"] = definition.Group,
                    ["width"] = "NONE",
                    ["display_name"] = definition.DisplayName ?? definition.Name,
                    ["dependents"] = new JsonArray(),
                    ["order"] = definition.OrderInGroup,
                },
                ["value"] = new JsonObject
                {
                    ["name"] = value.Name,
                    ["value"] = definition.Type == ConfigType.Password && value.Value is not null ? "[hidden]" : value.Value,
                    ["recommended_values"] = new JsonArray(value.RecommendedValues.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                    ["errors"] = new JsonArray(value.Errors.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                    ["visible"] = value.Visible,
                },
            });
        }

        return new JsonObject
        {
            ["name"] = result.ConnectorClass,
            ["error_count"] = result.ErrorCount,
            ["groups"] = new JsonArray(result.Groups.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray()),
            ["configs"] = configs,
        };
    }
}
