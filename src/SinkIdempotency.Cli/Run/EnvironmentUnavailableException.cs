namespace SinkIdempotency.Cli.Run;

/// <summary>Reports that the chosen environment cannot run here, saying what to do instead (exit code 2).</summary>
internal sealed class EnvironmentUnavailableException : Exception
{
    public EnvironmentUnavailableException()
    {
    }

    public EnvironmentUnavailableException(string message)
        : base(message)
    {
    }

    public EnvironmentUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
