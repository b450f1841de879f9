namespace SinkIdempotency.Sink;

/// <summary>Signals data that cannot be converted or written, e.g. a value that does not match its schema (Connect's <c>DataException</c>).</summary>
public class DataException : ConnectException
{
    /// <summary>Creates the exception with no message.</summary>
    public DataException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public DataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
