using SinkIdempotency.Environments;

namespace SinkIdempotency.Scenarios;

/// <summary>Reports that the environment, not the sink under test, kept a scenario from running (for example a connector that never started).</summary>
public sealed class ScenarioEnvironmentException : EnvironmentUnavailableException
{
    /// <summary>Initializes the exception with no message.</summary>
    public ScenarioEnvironmentException()
    {
    }

    /// <summary>Initializes the exception with a message.</summary>
    /// <param name="message">What failed and what to change.</param>
    public ScenarioEnvironmentException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes the exception with a message and a cause.</summary>
    /// <param name="message">What failed and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public ScenarioEnvironmentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
