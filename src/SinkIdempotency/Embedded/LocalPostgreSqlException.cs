namespace SinkIdempotency.Embedded;

/// <summary>Signals that a local PostgreSQL server could not be found, prepared or started; the message says what happened and what to change.</summary>
/// <remarks>
/// Every cause is a broken or incomplete setup (the binaries are fetched when the machine has none), so test fixtures fail on
/// this exception rather than skip; <see cref="Failure"/> tells the causes apart.
/// </remarks>
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

    /// <summary>Initializes the exception with a failure kind, a message and an optional cause.</summary>
    /// <param name="failure">Why the server could not be provided.</param>
    /// <param name="message">What happened and what to change.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public LocalPostgreSqlException(LocalPostgreSqlFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>Gets why the server could not be provided.</summary>
    /// <value><see cref="LocalPostgreSqlFailure.Other"/> unless a constructor with a failure kind was used.</value>
    public LocalPostgreSqlFailure Failure { get; }
}
