namespace SinkIdempotency.Environments;

/// <summary>Reports that an environment cannot be used: it is absent on this machine, or it did not start; the message says what happened and what to change.</summary>
/// <remarks>
/// The one type every "no environment" failure derives from, so a caller that only needs to know "the environment, not
/// the sink, is the problem" catches one type: the command-line tool exits with code 2 on it. Whether a test skips or
/// fails is a narrower question, decided by the cause: <see cref="Scenarios.ScenarioEnvironmentUnavailableException"/>
/// (absent by design, e.g. no Docker engine, as a fixture judged it) skips; a broken setup
/// (<see cref="EnvironmentStartException"/>, <see cref="Embedded.LocalPostgreSqlException"/>) fails.
/// </remarks>
public class EnvironmentUnavailableException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EnvironmentUnavailableException"/> class.</summary>
    public EnvironmentUnavailableException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EnvironmentUnavailableException"/> class.</summary>
    /// <param name="message">What happened and what to change.</param>
    public EnvironmentUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EnvironmentUnavailableException"/> class.</summary>
    /// <param name="message">What happened and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public EnvironmentUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
