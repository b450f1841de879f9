using SinkIdempotency.Environments;

namespace SinkIdempotency.Testcontainers;

/// <summary>Reports that no Docker engine is reachable, so the Docker environment cannot start; the message says what to change.</summary>
public sealed class DockerUnavailableException : EnvironmentUnavailableException
{
    /// <summary>The advice appended to every message.</summary>
    public const string Advice = "Start Docker, or set DOCKER_HOST to a reachable engine (e.g. unix:///var/run/docker.sock or tcp://host:2375), or use the embedded environment (--env embedded), which needs no Docker.";

    /// <summary>Initializes a new instance of the <see cref="DockerUnavailableException"/> class.</summary>
    public DockerUnavailableException()
        : base("No Docker engine is reachable. " + Advice)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DockerUnavailableException"/> class.</summary>
    /// <param name="message">Why no engine is reachable; the advice is part of it.</param>
    public DockerUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DockerUnavailableException"/> class.</summary>
    /// <param name="message">Why no engine is reachable; the advice is part of it.</param>
    /// <param name="innerException">The failure of the probe.</param>
    public DockerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
