using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SinkIdempotency.Worker.Cluster;
using SinkIdempotency.Worker.Plugins;
using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Rest;

/// <summary>The handlers with bodies: connector creation and update, expansion, plugin config and validation.</summary>
internal sealed partial class ConnectRestServer
{
    private async Task ListConnectorsAsync(HttpContext context)
    {
        var herder = await HerderAsync(context).ConfigureAwait(false);
        var names = herder.ConnectorNames();
        var expand = context.Request.Query["expand"].Select(v => v ?? "").ToHashSet(StringComparer.Ordinal);
        var withStatus = expand.Contains("status");
        var withInfo = expand.Contains("info");
        if (!withStatus && !withInfo)
        {
            await WriteJsonAsync(context, 200, new JsonArray(names.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray())).ConfigureAwait(false);
            return;
        }

        var result = new JsonObject();
        foreach (var name in names)
        {
            var entry = new JsonObject();
            try
            {
                if (withStatus)
                {
                    var (connector, tasks) = herder.Status(name);
                    entry["status"] = RestShapes.ConnectorState(name, connector, tasks);
                }

                if (withInfo)
                {
                    var (definition, _) = herder.GetConnector(name);
                    entry["info"] = RestShapes.ConnectorInfo(name, definition.Config, herder.VisibleTasks(name).Count);
                }
            }
            catch (ConnectRestException e) when (e.StatusCode == 404)
            {
                // As Connect: a connector whose status is not known yet is left out of the expansion.
                continue;
            }

            result[name] = entry;
        }

        await WriteJsonAsync(context, 200, result).ConfigureAwait(false);
    }

    private async Task CreateConnectorAsync(HttpContext context)
    {
        var herder = await HerderAsync(context).ConfigureAwait(false);
        var body = await ReadBodyAsync(context).ConfigureAwait(false) as JsonObject
            ?? throw ConnectRestException.BadRequest("Request body must be a JSON object with \"name\" and \"config\"");
        var config = ToConfig(body["config"] ?? new JsonObject());
        var name = body["name"]?.GetValue<string>() ?? config.GetValueOrDefault("name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw ConnectRestException.BadRequest("Connector name is null or empty");
        }

        TargetState? initial = body["initial_state"]?.GetValue<string>()?.ToUpperInvariant() switch
        {
            null => null,
            "RUNNING" => TargetState.Started,
            "PAUSED" => TargetState.Paused,
            "STOPPED" => TargetState.Stopped,
            var other => throw ConnectRestException.BadRequest($"Invalid initial state '{other}'; must be one of RUNNING, PAUSED, STOPPED"),
        };
        await herder.PutConnectorAsync(name, config, allowReplace: false, initial, context.RequestAborted).ConfigureAwait(false);
        var (definition, _) = herder.GetConnector(name);
        context.Response.Headers.Location = "/connectors/" + Uri.EscapeDataString(name);
        await WriteJsonAsync(context, 201, RestShapes.ConnectorInfo(name, definition.Config, herder.VisibleTasks(name).Count)).ConfigureAwait(false);
    }

    private async Task PutConfigAsync(HttpContext context)
    {
        var herder = await HerderAsync(context).ConfigureAwait(false);
        var name = Name(context);
        var config = ToConfig(await ReadBodyAsync(context).ConfigureAwait(false));
        var created = await herder.PutConnectorAsync(name, config, allowReplace: true, initialState: null, context.RequestAborted).ConfigureAwait(false);
        var (definition, _) = herder.GetConnector(name);
        if (created)
        {
            context.Response.Headers.Location = "/connectors/" + Uri.EscapeDataString(name);
        }

        await WriteJsonAsync(context, created ? 201 : 200, RestShapes.ConnectorInfo(name, definition.Config, herder.VisibleTasks(name).Count)).ConfigureAwait(false);
    }

    private async Task PluginConfigAsync(HttpContext context)
    {
        var herder = await HerderAsync(context).ConfigureAwait(false);
        var pluginName = (string)context.Request.RouteValues["plugin"]!;
        var plugin = herder.Plugins.Find(pluginName) ?? throw ConnectRestException.NotFound($"Unknown plugin {pluginName}.");
        var connector = plugin.Create();
        var result = new ValidationResult(plugin.ClassName, [], connector.Config.Keys.Select(k => (k, new Sink.ConfigValue(k.Name))).ToList());
        var array = new JsonArray();
        foreach (var config in RestShapes.ConfigInfos(result)["configs"]!.AsArray())
        {
            array.Add(config!["definition"]!.DeepClone());
        }

        await WriteJsonAsync(context, 200, array).ConfigureAwait(false);
    }

    private async Task ValidateAsync(HttpContext context)
    {
        var herder = await HerderAsync(context).ConfigureAwait(false);
        var pluginName = (string)context.Request.RouteValues["plugin"]!;
        var config = ToConfig(await ReadBodyAsync(context).ConfigureAwait(false));
        if (config.TryGetValue("connector.class", out var included))
        {
            var includedPlugin = herder.Plugins.Find(included);
            var pathPlugin = herder.Plugins.Find(pluginName);
            if (includedPlugin is null || pathPlugin is null || includedPlugin != pathPlugin)
            {
                throw ConnectRestException.BadRequest($"Included connector type {included} does not match request type {pluginName}");
            }
        }
        else
        {
            config["connector.class"] = pluginName;
        }

        var result = herder.Validate(config);
        await WriteJsonAsync(context, 200, RestShapes.ConfigInfos(result)).ConfigureAwait(false);
    }
}
