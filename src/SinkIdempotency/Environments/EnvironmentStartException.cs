namespace SinkIdempotency.Environments;

/// <summary>Reports that an environment could not start, naming the part that failed; everything already started has been stopped.</summary>
public sealed class EnvironmentStartException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EnvironmentStartException"/> class.</summary>
    /// <param name="environment">The environment name.</param>
    /// <param name="part">The part that failed, e.g. <c>PostgreSQL</c> or <c>Connect worker 2</c>.</param>
    /// <param name="innerException">The failure.</param>
    public EnvironmentStartException(string environment, string part, Exception innerException)
        : base($"The {environment} environment could not start: {part} failed: {innerException?.Message}", innerException)
    {
        Part = part;
    }

    /// <summary>Initializes a new instance of the <see cref="EnvironmentStartException"/> class.</summary>
    public EnvironmentStartException()
    {
        Part = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="EnvironmentStartException"/> class.</summary>
    /// <param name="message">The message.</param>
    public EnvironmentStartException(string message)
        : base(message)
    {
        Part = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="EnvironmentStartException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The failure.</param>
    public EnvironmentStartException(string message, Exception innerException)
        : base(message, innerException)
    {
        Part = string.Empty;
    }

    /// <summary>Gets the part of the environment that failed to start.</summary>
    public string Part { get; }
}
