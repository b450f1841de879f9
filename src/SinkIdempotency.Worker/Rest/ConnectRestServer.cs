using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Timing;
using SinkIdempotency.Worker.Cluster;
using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Rest;

/// <summary>Kafka Connect's REST API on Kestrel: same paths, status codes, JSON shapes and <c>{"error_code","message"}</c> errors.</summary>
internal sealed partial class ConnectRestServer : IAsyncDisposable
{
    public const string ReportedVersion = "3.9.0";
    public const string ReportedCommit = "sinkidempotency-worker";

    private readonly WebApplication _app;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private static readonly TimeSpan HerderStartTimeout = TimeSpan.FromSeconds(90);
    private Herder? _herder;
    private string? _clusterId;

    public ConnectRestServer(string host, int port, ILogger log, TimeProvider? time = null)
    {
        _log = log;
        _time = time ?? TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        Hosting.WorkerLogging.Configure(builder.Logging);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(host), port));
        _app = builder.Build();
        _app.Use(HandleErrorsAsync);
        MapRoutes(_app);
    }

    /// <summary>Gets the base URL, known after <see cref="StartAsync"/>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Attaches the herder once it exists; until then requests wait (the worker is starting).</summary>
    public void Attach(Herder herder, string? clusterId)
    {
        _clusterId = clusterId;
        _herder = herder;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static Task WriteJsonAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        if (body is null)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;

    private static int TaskId(HttpContext context) =>
        int.TryParse((string?)context.Request.RouteValues["task"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw ConnectRestException.NotFound("HTTP 404 Not Found");

    private static bool QueryFlag(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value) && bool.TryParse(value.ToString(), out var flag) && flag;

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw ConnectRestException.BadRequest("Request body is not valid JSON: " + e.Message);
        }
    }

    private static Dictionary<string, string> ToConfig(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            throw ConnectRestException.BadRequest("Connector configuration must be a JSON object of string values");
        }

        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            config[key] = value switch
            {
                null => throw ConnectRestException.BadRequest($"Configuration {key} must not be null"),
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonValue v => v.ToJsonString(),
                _ => throw ConnectRestException.BadRequest($"Configuration {key} must be a string"),
            };
        }

        return config;
    }

    private async Task<Herder> HerderAsync(HttpContext context)
    {
        // Connect answers 500 "Request timed out" when the herder is not ready within its request timeout.
        if (!await Poll.UntilAsync(_time, _ => Task.FromResult(_herder is not null), HerderStartTimeout, TimeSpan.FromMilliseconds(20), context.RequestAborted).ConfigureAwait(false))
        {
            throw new ConnectRestException(500, "Request timed out");
        }

        await _herder!.EnsureReadyAsync(context.RequestAborted).ConfigureAwait(false);
        return _herder!;
    }

    private async Task HandleErrorsAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode is 404 or 405 && !context.Response.HasStarted && context.GetEndpoint() is null)
            {
                var status = context.Response.StatusCode;
                await WriteJsonAsync(context, status, RestShapes.Error(status, status == 404 ? "HTTP 404 Not Found" : "HTTP 405 Method Not Allowed")).ConfigureAwait(false);
            }
        }
        catch (ConnectRestException e)
        {
            await WriteJsonAsync(context, e.StatusCode, RestShapes.Error(e.StatusCode, e.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _log.LogError(e, "Uncaught exception in REST call to {Path}", context.Request.Path);
            await WriteJsonAsync(context, 500, RestShapes.Error(500, e.Message)).ConfigureAwait(false);
        }
    }

    private void MapRoutes(IEndpointRouteBuilder app)
    {
        app.MapGet("/", context => WriteJsonAsync(context, 200, new JsonObject
        {
            ["version"] = ReportedVersion,
            ["commit"] = ReportedCommit,
            ["kafka_cluster_id"] = _clusterId,
        }));
        app.MapGet("/connectors", ListConnectorsAsync);
        app.MapPost("/connectors", CreateConnectorAsync);
        app.MapGet("/connectors/{name}", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            var (definition, _) = herder.GetConnector(Name(context));
            await WriteJsonAsync(context, 200, RestShapes.ConnectorInfo(definition.Name, definition.Config, herder.VisibleTasks(definition.Name).Count)).ConfigureAwait(false);
        });
        app.MapGet("/connectors/{name}/config", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            await WriteJsonAsync(context, 200, RestShapes.Map(herder.GetConnector(Name(context)).Definition.Config)).ConfigureAwait(false);
        });
        app.MapPut("/connectors/{name}/config", PutConfigAsync);
        app.MapGet("/connectors/{name}/status", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            var name = Name(context);
            var (connector, tasks) = herder.Status(name);
            await WriteJsonAsync(context, 200, RestShapes.ConnectorState(name, connector, tasks)).ConfigureAwait(false);
        });
        app.MapGet("/connectors/{name}/tasks", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            var name = Name(context);
            var array = new JsonArray();
            var tasks = herder.VisibleTasks(name);
            for (var i = 0; i < tasks.Count; i++)
            {
                array.Add(new JsonObject { ["id"] = RestShapes.TaskId(name, i), ["config"] = RestShapes.Map(tasks[i]) });
            }

            await WriteJsonAsync(context, 200, array).ConfigureAwait(false);
        });
        app.MapGet("/connectors/{name}/tasks/{task}/status", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            var task = TaskId(context);
            await WriteJsonAsync(context, 200, RestShapes.State(herder.TaskStatus(Name(context), task), task)).ConfigureAwait(false);
        });
        app.MapPut("/connectors/{name}/pause", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            await herder.PauseAsync(Name(context), context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, 202, null).ConfigureAwait(false);
        });
        app.MapPut("/connectors/{name}/resume", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            await herder.ResumeAsync(Name(context), context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, 202, null).ConfigureAwait(false);
        });
        app.MapPut("/connectors/{name}/stop", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            await herder.StopAsync(Name(context), context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, 204, null).ConfigureAwait(false);
        });
        app.MapPost("/connectors/{name}/restart", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            var name = Name(context);
            var plan = await herder.RestartConnectorAsync(name, QueryFlag(context, "includeTasks"), QueryFlag(context, "onlyFailed"), context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, plan is null ? 204 : 202, plan is { } p ? RestShapes.ConnectorState(name, p.Connector, p.Tasks) : null).ConfigureAwait(false);
        });
        app.MapPost("/connectors/{name}/tasks/{task}/restart", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            await herder.RestartTaskAsync(Name(context), TaskId(context), context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, 204, null).ConfigureAwait(false);
        });
        app.MapDelete("/connectors/{name}", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            await herder.DeleteAsync(Name(context), context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, 204, null).ConfigureAwait(false);
        });
        app.MapGet("/connector-plugins", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            var array = new JsonArray();
            foreach (var plugin in herder.Plugins.Plugins)
            {
                array.Add(new JsonObject { ["class"] = plugin.ClassName, ["type"] = "sink", ["version"] = plugin.Version });
            }

            await WriteJsonAsync(context, 200, array).ConfigureAwait(false);
        });
        app.MapGet("/connector-plugins/{plugin}/config", PluginConfigAsync);
        app.MapPut("/connector-plugins/{plugin}/config/validate", ValidateAsync);
        MapOffsetRoutes(app);
    }
}
