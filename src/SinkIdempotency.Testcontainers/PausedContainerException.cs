namespace SinkIdempotency.Testcontainers;

/// <summary>Signals that a Docker Engine refused to kill a container because it is paused (engines before 20.10 do).</summary>
internal sealed class PausedContainerException : Exception
{
    public PausedContainerException()
    {
    }

    public PausedContainerException(string message)
        : base(message)
    {
    }

    public PausedContainerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
