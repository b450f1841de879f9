namespace SinkIdempotency.Embedded;

/// <summary>Signals that a local MySQL or MariaDB server could not be found, prepared or started; the message says what happened and what to change.</summary>
/// <remarks>Every cause is a broken or incomplete setup, so test fixtures fail on this exception rather than skip.</remarks>
public sealed class LocalMySqlException : Exception
{
    /// <summary>Initializes the exception with no message.</summary>
    public LocalMySqlException()
    {
    }

    /// <summary>Initializes the exception with a message.</summary>
    /// <param name="message">What happened and what to change.</param>
    public LocalMySqlException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes the exception with a message and its cause.</summary>
    /// <param name="message">What happened and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public LocalMySqlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
