using System.Reflection;

namespace SinkIdempotency.Cli;

/// <summary>Reads the tool's informational version once.</summary>
internal static class ToolVersion
{
    public static string Value { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
