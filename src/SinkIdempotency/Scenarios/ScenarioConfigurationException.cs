namespace SinkIdempotency.Scenarios;

/// <summary>Reports a connector setting of a scenario that the environment would have to replace (the target's <c>connection.url</c>, user or password, the topic, the table): the harness stops rather than rewrite a team's setting silently.</summary>
/// <remarks>Thrown before anything is created. The message names the key and what to change: remove the setting, use the documented placeholder, or run on an environment that uses it.</remarks>
public sealed class ScenarioConfigurationException : ArgumentException
{
    /// <summary>Initializes the exception with no message.</summary>
    public ScenarioConfigurationException()
    {
    }

    /// <summary>Initializes the exception with a message.</summary>
    /// <param name="message">What is wrong and what to change.</param>
    public ScenarioConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public ScenarioConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes the exception for one connector setting.</summary>
    /// <param name="key">The connector setting, e.g. <c>connection.url</c>.</param>
    /// <param name="message">What is wrong and what to change.</param>
    public ScenarioConfigurationException(string key, string message)
        : base(message)
    {
        Key = key;
    }

    /// <summary>Gets the connector setting at fault, or <see langword="null"/>.</summary>
    /// <value>For example <c>connection.url</c>.</value>
    public string? Key { get; }
}
