using System.Runtime.Loader;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Plugins;

namespace SinkIdempotency.Worker.Tests.Plugins;

public sealed class PluginRegistryTests
{
    public const string PluginClass = "SinkIdempotency.TestPlugin.LineSinkConnector";

    public static string PluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins", "test-plugin");

    [Fact]
    public void Registry_NoPluginPaths_ListsBuiltInSinksWithAliases()
    {
        var registry = new PluginRegistry(NullLoggerFactory.Instance, []);

        registry.Plugins.Select(p => p.ClassName).Should().Contain([
            "SinkIdempotency.Worker.Sinks.Postgres.PostgresSinkConnector",
            "SinkIdempotency.Worker.Sinks.Files.FileSinkConnector",
            "SinkIdempotency.Worker.Sinks.Http.HttpSinkConnector"]);
        registry.Find("FileSink")!.ClassName.Should().EndWith("FileSinkConnector");
        registry.Find("HttpSink")!.ClassName.Should().EndWith("HttpSinkConnector");
        registry.Find(PluginClass).Should().BeNull("the test plugin is not referenced by the worker");
    }

    [Fact]
    public async Task Registry_PluginFolder_LoadsSinkInOwnContextSharingTheContract()
    {
        File.Exists(Path.Combine(PluginFolder, "SinkIdempotency.TestPlugin.dll")).Should().BeTrue("the test project copies the plugin there");
        File.Exists(Path.Combine(PluginFolder, "SinkIdempotency.Sink.Abstractions.dll")).Should().BeFalse("the contract comes from the worker");

        var registry = new PluginRegistry(NullLoggerFactory.Instance, [PluginFolder]);
        var plugin = registry.Find(PluginClass);

        plugin.Should().NotBeNull();
        plugin!.Version.Should().Be("0.1.0-test");
        registry.Find("LineSink")!.ClassName.Should().Be(PluginClass);
        var connector = plugin.Create();
        var context = AssemblyLoadContext.GetLoadContext(connector.GetType().Assembly);
        context.Should().NotBeSameAs(AssemblyLoadContext.Default);
        context!.Name.Should().Be("SinkIdempotency.TestPlugin");
        connector.GetType().BaseType.Should().BeSameAs(typeof(SinkConnector), "the contract types unify across load contexts");

        var directory = Directory.CreateTempSubdirectory("plugin-sink-").FullName;
        try
        {
            var config = new Dictionary<string, string> { ["line.directory"] = directory };
            await connector.StartAsync(config, TestContext.Current.CancellationToken);
            var task = connector.CreateTask();
            await task.StartAsync(connector.TaskConfigs(1)[0], TestContext.Current.CancellationToken);
            await task.PutAsync([new SinkRecord("t", 0, null, null, null, new JsonObject { ["event_id"] = "e1" }, 4)], TestContext.Current.CancellationToken);

            var line = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "t+0.jsonl")))!;
            line["loadContext"]!.GetValue<string>().Should().Be("SinkIdempotency.TestPlugin");
            line["value"]!["event_id"]!.GetValue<string>().Should().Be("e1");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
