namespace SinkIdempotency.Environments;

/// <summary>Reports that an environment could not start, naming the part that failed; everything already started has been stopped.</summary>
public sealed class EnvironmentStartException : EnvironmentUnavailableException
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

    /// <summary>Starts an environment's parts; on any failure stops what started (in the environment's own order) and reports it.</summary>
    /// <param name="environment">The environment name, for the message.</param>
    /// <param name="start">Starts every part; it names a failing part by throwing <see cref="EnvironmentStartException"/>.</param>
    /// <param name="stop">Stops whatever has started, in reverse order; it must not throw.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when every part is ready.</returns>
    /// <exception cref="EnvironmentStartException">A part failed; everything started has been stopped.</exception>
    /// <exception cref="OperationCanceledException">The start was cancelled; everything started has been stopped.</exception>
    public static async Task StartOrStopAllAsync(string environment, Func<CancellationToken, Task> start, Func<Task> stop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(stop);
        try
        {
            await start(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await stop().ConfigureAwait(false);
            if (ex is EnvironmentStartException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw;
            }

            throw new EnvironmentStartException(environment, "start", ex);
        }
    }
}
