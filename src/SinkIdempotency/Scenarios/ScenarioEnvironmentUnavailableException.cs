namespace SinkIdempotency.Scenarios;

/// <summary>Reports that an environment cannot start on this machine (no Docker engine, no PostgreSQL binaries, no cluster configured); tests skip with its message.</summary>
public sealed class ScenarioEnvironmentUnavailableException : Exception
{
    /// <summary>Initializes the exception with no message.</summary>
    public ScenarioEnvironmentUnavailableException()
    {
    }

    /// <summary>Initializes the exception with a message.</summary>
    /// <param name="message">What is missing and how to provide it.</param>
    public ScenarioEnvironmentUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes the exception with a message and a cause.</summary>
    /// <param name="message">What is missing and how to provide it.</param>
    /// <param name="innerException">The cause.</param>
    public ScenarioEnvironmentUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
