using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;

namespace SinkIdempotency.Testcontainers;

/// <summary>Pauses, unpauses and kills containers through the Docker Engine API Testcontainers is configured for.</summary>
internal sealed class DockerEngineSignals : IContainerSignals
{
    public async Task PauseAsync(string containerId, CancellationToken cancellationToken)
    {
        using var client = Client();
        await client.Containers.PauseContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
    }

    public async Task UnpauseAsync(string containerId, CancellationToken cancellationToken)
    {
        using var client = Client();
        await client.Containers.UnpauseContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
    }

    public async Task KillAsync(string containerId, CancellationToken cancellationToken)
    {
        using var client = Client();
        try
        {
            await client.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = "KILL" }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict && ex.Message.Contains("paused", StringComparison.OrdinalIgnoreCase))
        {
            throw new PausedContainerException(ex.Message, ex);
        }
    }

    private static DockerClient Client() => TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder().Build();
}
