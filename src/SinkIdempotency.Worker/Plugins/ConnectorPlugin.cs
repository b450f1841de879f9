using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Plugins;

/// <summary>A sink connector class the worker can run: its full name, aliases, version and how to instantiate it.</summary>
internal sealed record ConnectorPlugin(string ClassName, IReadOnlyList<string> Aliases, string Version, Func<SinkConnector> Create)
{
    public bool Matches(string name) => ClassName == name || Aliases.Contains(name);
}
