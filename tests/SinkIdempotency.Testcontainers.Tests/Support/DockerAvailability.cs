namespace SinkIdempotency.Testcontainers.Tests;

/// <summary>Tells cheaply whether a Docker engine may be reachable, to decide which of the no-Docker tests apply.</summary>
internal static class DockerAvailability
{
    public static bool EngineLikelyPresent =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");
}
