namespace SinkIdempotency.Embedded;

/// <summary>Signals that a local PostgreSQL server could not be found, prepared or started; the message says what to change.</summary>
public sealed class LocalPostgreSqlException : Exception
{
    /// <summary>Initializes the exception with no message.</summary>
    public LocalPostgreSqlException()
    {
    }

    /// <summary>Initializes the exception with a message.</summary>
    /// <param name="message">What happened and what to change.</param>
    public LocalPostgreSqlException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes the exception with a message and its cause.</summary>
    /// <param name="message">What happened and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public LocalPostgreSqlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
