namespace SinkIdempotency.Sink;

/// <summary>Signals a configuration that does not satisfy its definition; the message names the key.</summary>
public class ConfigException : ConnectException
{
    /// <summary>Creates the exception with no message.</summary>
    public ConfigException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, naming the key.</param>
    public ConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong, naming the key.</param>
    /// <param name="innerException">The cause.</param>
    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
