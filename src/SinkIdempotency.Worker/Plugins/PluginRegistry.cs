using System.Reflection;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Sinks.Postgres;

namespace SinkIdempotency.Worker.Plugins;

/// <summary>
/// Knows the sink connector classes: the built-in ones and those found in plugin folders (each assembly in its own load context).
/// Names resolve by full class name or alias, as Connect's <c>Plugins</c> does.
/// </summary>
internal sealed class PluginRegistry
{
    private readonly List<ConnectorPlugin> _plugins = [];

    public PluginRegistry(ILoggerFactory loggerFactory, IEnumerable<string> pluginPaths)
    {
        // The relational sink keeps its historical class name (scenarios and saved configs name it); JdbcSink is the neutral
        // alias for configs that write MySQL or MariaDB with it.
        Add(typeof(PostgresSinkConnector), () => new PostgresSinkConnector(loggerFactory), "JdbcSinkConnector", "JdbcSink");
        foreach (var (type, create) in Sinks.BuiltInSinks.All(loggerFactory))
        {
            Add(type, create);
        }

        var log = loggerFactory.CreateLogger<PluginRegistry>();
        foreach (var path in pluginPaths)
        {
            foreach (var assemblyPath in AssemblyFiles(path))
            {
                try
                {
                    var context = new PluginLoadContext(assemblyPath);
                    var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
                    foreach (var type in assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(SinkConnector)) && !t.IsAbstract))
                    {
                        Add(type, () => Instantiate(type, loggerFactory));
                        log.LogInformation("Loaded plugin {Class} from {Path}", type.FullName, assemblyPath);
                    }
                }
                catch (Exception e) when (e is BadImageFormatException or FileLoadException or ReflectionTypeLoadException or FileNotFoundException)
                {
                    log.LogWarning(e, "Skipping {Path}: not a loadable plugin assembly", assemblyPath);
                }
            }
        }
    }

    public IReadOnlyList<ConnectorPlugin> Plugins => _plugins;

    public ConnectorPlugin? Find(string name)
    {
        var trimmed = name.Trim();
        return _plugins.Find(p => p.ClassName == trimmed) ?? _plugins.Find(p => p.Matches(trimmed));
    }

    public string UnknownClassMessage(string name) =>
        $"Failed to find any class that implements Connector and which name matches {name}, available connectors are: "
        + string.Join(", ", _plugins.Select(p => $"PluginDesc{{klass=class {p.ClassName}, name='{p.ClassName}', version='{p.Version}', type=sink}}"));

    private static IEnumerable<string> AssemblyFiles(string path) =>
        File.Exists(path) ? [path]
        : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.dll", SearchOption.AllDirectories).Where(f => !IsSharedAssembly(f))
        : [];

    private static bool IsSharedAssembly(string file) =>
        Path.GetFileNameWithoutExtension(file) == typeof(SinkConnector).Assembly.GetName().Name;

    private static SinkConnector Instantiate(Type type, ILoggerFactory loggerFactory)
    {
        var withLogger = type.GetConstructor([typeof(ILoggerFactory)]);
        return (SinkConnector)(withLogger is not null ? withLogger.Invoke([loggerFactory]) : Activator.CreateInstance(type)!);
    }

    private void Add(Type type, Func<SinkConnector> create, params string[] extraAliases)
    {
        var name = type.FullName!;
        if (_plugins.Exists(p => p.ClassName == name))
        {
            return;
        }

        var simple = type.Name;
        var aliases = new List<string> { simple };
        aliases.AddRange(extraAliases);
        if (simple.EndsWith("Connector", StringComparison.Ordinal) && simple.Length > "Connector".Length)
        {
            aliases.Add(simple[..^"Connector".Length]);
        }

        string version;
        try
        {
            version = create().Version;
        }
        catch (Exception e) when (e is MissingMethodException or TargetInvocationException)
        {
            version = "unknown";
        }

        _plugins.Add(new ConnectorPlugin(name, aliases, version, create));
    }
}
