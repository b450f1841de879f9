using System.Text;
using DotNet.Testcontainers.Containers;

namespace SinkIdempotency.Testcontainers;

/// <content>Saving every container's log before the containers are removed, so a failed CI run keeps them.</content>
public sealed partial class DockerEnvironment
{
    /// <summary>Gets the folder this environment's container logs are saved to, or <see langword="null"/> when <see cref="DockerEnvironmentOptions.ContainerLogDirectory"/> is not set.</summary>
    /// <value><c>&lt;ContainerLogDirectory&gt;/&lt;cluster id&gt;</c>.</value>
    public string? ContainerLogFolder => _options.ContainerLogDirectory is { } root ? Path.Combine(Path.GetFullPath(root), _clusterId) : null;

    /// <summary>Lists the containers whose logs are saved, with the file name of each.</summary>
    internal IReadOnlyList<(string File, IContainer Container)> LoggedContainers()
    {
        var containers = new List<(string, IContainer)>();
        lock (_gate)
        {
            containers.AddRange(_workers.Select(w => (ContainerSettings.ContainerLogFile(ContainerSettings.ConnectAlias(w.Number)), w.Container)));
        }

        if (_kafka is not null)
        {
            containers.Add((ContainerSettings.ContainerLogFile(ContainerSettings.KafkaAlias), _kafka));
        }

        if (_objectStorage is not null)
        {
            containers.Add((ContainerSettings.ContainerLogFile(ContainerSettings.MinioAlias), _objectStorage));
        }

        if (_postgreSql is not null)
        {
            containers.Add((ContainerSettings.ContainerLogFile(ContainerSettings.PostgreSqlAlias), _postgreSql));
        }

        // The targets beyond PostgreSQL, started when a scenario first named their kind (MinIO only when not AutoMQ's own).
        containers.AddRange(TargetContainers());

        return containers;
    }

    // Best effort: a container that never started has no log, and a failure here must not keep the others from being removed.
    private async Task SaveContainerLogsAsync()
    {
        if (ContainerLogFolder is not { } folder)
        {
            return;
        }

        foreach (var (file, container) in LoggedContainers())
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _options.TimeProvider);
                var (stdout, stderr) = await container.GetLogsAsync(ct: timeout.Token).ConfigureAwait(false);
                Directory.CreateDirectory(folder);
                var text = ContainerSettings.RedactContainerLog(stdout + (stderr.Length > 0 ? "\n--- stderr ---\n" + stderr : string.Empty));
                await File.WriteAllTextAsync(Path.Combine(folder, file), text, Encoding.UTF8, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                try
                {
                    Directory.CreateDirectory(folder);
                    await File.WriteAllTextAsync(Path.Combine(folder, file), $"The log could not be read: {ex.Message}\n", Encoding.UTF8, CancellationToken.None).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The folder cannot be written; nothing more to do for a best-effort copy.
                }
            }
        }
    }
}
