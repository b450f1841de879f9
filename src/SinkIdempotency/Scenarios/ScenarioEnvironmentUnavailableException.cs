using SinkIdempotency.Environments;

namespace SinkIdempotency.Scenarios;

/// <summary>Reports that an environment is absent on this machine by design (no Docker engine, no cluster configured), as a test fixture judged it; tests skip with its message.</summary>
/// <remarks>A broken setup (a worker or PostgreSQL that fails to start) is not this: it stays an <see cref="EnvironmentStartException"/> and fails.</remarks>
public sealed class ScenarioEnvironmentUnavailableException : EnvironmentUnavailableException
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
