namespace SinkIdempotency.Environments;

/// <summary>Reports that a scenario needs a capability the environment lacks; test integrations turn it into a skip with <see cref="Exception.Message"/> as the reason.</summary>
public sealed class MissingCapabilityException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MissingCapabilityException"/> class.</summary>
    /// <param name="environment">The environment name.</param>
    /// <param name="missing">The capabilities it lacks.</param>
    public MissingCapabilityException(string environment, EnvironmentCapabilities missing)
        : base($"The {environment} environment cannot {Describe(missing)} ({missing}); the scenario needs it, so it is skipped rather than passed.")
    {
        Environment = environment;
        Missing = missing;
    }

    /// <summary>Initializes a new instance of the <see cref="MissingCapabilityException"/> class.</summary>
    public MissingCapabilityException()
        : base("The environment lacks a capability the scenario needs.")
    {
        Environment = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="MissingCapabilityException"/> class.</summary>
    /// <param name="message">The reason.</param>
    public MissingCapabilityException(string message)
        : base(message)
    {
        Environment = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="MissingCapabilityException"/> class.</summary>
    /// <param name="message">The reason.</param>
    /// <param name="innerException">The cause.</param>
    public MissingCapabilityException(string message, Exception innerException)
        : base(message, innerException)
    {
        Environment = string.Empty;
    }

    /// <summary>Gets the name of the environment that lacks the capability.</summary>
    public string Environment { get; }

    /// <summary>Gets the capabilities the environment lacks.</summary>
    public EnvironmentCapabilities Missing { get; }

    // What each capability lets the harness do, in the order a message lists them.
    private static readonly (EnvironmentCapabilities Flag, string Phrase)[] Phrases =
    [
        (EnvironmentCapabilities.KillWorker, "kill a worker"),
        (EnvironmentCapabilities.AddWorker, "add a worker"),
        (EnvironmentCapabilities.RestartWorker, "restart a worker"),
        (EnvironmentCapabilities.TargetFaultProxy, "inject target network faults"),
        (EnvironmentCapabilities.BrokerFaults, "inject broker faults"),
        (EnvironmentCapabilities.FreezeWorker, "freeze a worker"),
        (EnvironmentCapabilities.StandbyWorker, "start a standby worker"),
        (EnvironmentCapabilities.OffsetsApi, "reset offsets through the Connect offsets API"),
        (EnvironmentCapabilities.ConsumerGroupReset, "reset a consumer group"),
        (EnvironmentCapabilities.WorkerLogs, "read worker logs"),
    ];

    internal static string Describe(EnvironmentCapabilities missing)
    {
        var parts = Phrases.Where(p => missing.HasFlag(p.Flag)).Select(p => p.Phrase).ToList();
        return parts.Count == 0 ? "do what was asked" : string.Join(", ", parts);
    }
}
