namespace SinkIdempotency.Sink;

/// <summary>
/// Signals a transient failure: thrown from <see cref="SinkTask.PutAsync"/>, the framework pauses consumption,
/// waits <see cref="ISinkTaskContext.Timeout"/> and delivers the same batch again, without limit (Connect's <c>RetriableException</c>).
/// </summary>
public class RetriableException : ConnectException
{
    /// <summary>Creates the exception with no message.</summary>
    public RetriableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RetriableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RetriableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
