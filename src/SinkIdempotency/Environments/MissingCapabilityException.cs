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

    internal static string Describe(EnvironmentCapabilities missing)
    {
        var parts = new List<string>();
        if (missing.HasFlag(EnvironmentCapabilities.KillWorker))
        {
            parts.Add("kill a worker");
        }

        if (missing.HasFlag(EnvironmentCapabilities.AddWorker))
        {
            parts.Add("add a worker");
        }

        if (missing.HasFlag(EnvironmentCapabilities.RestartWorker))
        {
            parts.Add("restart a worker");
        }

        if (missing.HasFlag(EnvironmentCapabilities.TargetFaults))
        {
            parts.Add("inject target network faults");
        }

        if (missing.HasFlag(EnvironmentCapabilities.BrokerFaults))
        {
            parts.Add("inject broker faults");
        }

        if (missing.HasFlag(EnvironmentCapabilities.FreezeWorker))
        {
            parts.Add("freeze a worker");
        }

        if (missing.HasFlag(EnvironmentCapabilities.StandbyWorker))
        {
            parts.Add("start a standby worker");
        }

        return parts.Count == 0 ? "do what was asked" : string.Join(", ", parts);
    }
}
