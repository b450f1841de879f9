using DotNet.Testcontainers.Configurations;

namespace SinkIdempotency.Testcontainers;

/// <summary>Checks quickly, with a deadline, that a Docker engine answers.</summary>
internal static class DockerProbe
{
    /// <summary>Throws <see cref="DockerUnavailableException"/> unless an engine answers a ping within <paramref name="timeout"/>.</summary>
    public static async Task EnsureAvailableAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Testcontainers probes its endpoint providers in a static initialiser; run it off the caller's thread so a stuck probe cannot hang the start.
        var probe = Task.Run(() => PingAsync(cancellationToken), cancellationToken);
        Exception? failure;
        try
        {
            failure = await probe.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new DockerUnavailableException(
                $"No Docker engine answered within {timeout.TotalSeconds:0.#} s ({Where()}). {DockerUnavailableException.Advice}", ex);
        }

        if (failure is not null)
        {
            throw new DockerUnavailableException($"No Docker engine is reachable ({Where()}): {FirstLine(failure)}. {DockerUnavailableException.Advice}", failure);
        }
    }

    /// <summary>Describes where an engine was looked for: <c>DOCKER_HOST</c>, or the default socket.</summary>
    public static string Where()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        return string.IsNullOrEmpty(host)
            ? "DOCKER_HOST is not set" + (File.Exists("/var/run/docker.sock") ? " and /var/run/docker.sock does not answer" : " and /var/run/docker.sock does not exist")
            : $"DOCKER_HOST is {host}";
    }

    private static async Task<Exception?> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var endpoint = TestcontainersSettings.OS.DockerEndpointAuthConfig;
            if (endpoint is null)
            {
                return new InvalidOperationException("Testcontainers found no Docker endpoint (environment, properties file, socket or Docker Desktop)");
            }

            using var client = endpoint.GetDockerClientBuilder().Build();
            await client.System.PingAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }

    private static string FirstLine(Exception ex)
    {
        var innermost = ex;
        while (innermost.InnerException is not null && innermost is TypeInitializationException or AggregateException)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message.Split('\n')[0].TrimEnd('.', ' ', '\r');
    }
}
