namespace SinkIdempotency.Sink;

/// <summary>Signals an error in a connector or task that the framework treats as fatal for the task (Connect's <c>ConnectException</c>).</summary>
public class ConnectException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public ConnectException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ConnectException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
