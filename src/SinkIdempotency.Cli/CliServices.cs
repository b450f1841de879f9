using SinkIdempotency.Cli.Run;

namespace SinkIdempotency.Cli;

/// <summary>Holds what the commands need from the outside world, so tests can replace it without starting a process.</summary>
internal sealed record CliServices
{
    /// <summary>Gets the services of a real process: real environments, the terminal check, process environment variables.</summary>
    public static CliServices Process { get; } = new()
    {
        Interactive = CliConsole.IsInteractiveTerminal,
    };

    public IScenarioSessionFactory Sessions { get; init; } = new EnvironmentSessionFactory();

    /// <summary>Gets a value indicating whether the output is a live terminal (progress bar, colours) rather than plain lines.</summary>
    public bool Interactive { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Gets every environment variable, for settings read by prefix (<c>SINKIDEMPOTENCY_KAFKA_*</c>).</summary>
    public Func<IReadOnlyDictionary<string, string>> GetVariables { get; init; } = ProcessVariables;

    private static Dictionary<string, string> ProcessVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }

        return variables;
    }
}
