namespace SinkIdempotency.Cli.Run;

/// <summary>Starts the real environments for <c>run</c>, or explains why one cannot start here.</summary>
internal sealed class EnvironmentSessionFactory : IScenarioSessionFactory
{
    public Task<IScenarioSession> StartAsync(EnvironmentKind kind, string workDirectory, CancellationToken cancellationToken) => kind switch
    {
        EnvironmentKind.Docker => throw new EnvironmentUnavailableException(DockerMessage()),
        EnvironmentKind.External => throw new EnvironmentUnavailableException(
            "The external environment (an existing Kafka, Kafka Connect and PostgreSQL) is not part of this build yet. Run with --env embedded, or write the scenario in C# against your cluster with the SinkIdempotency library."),
        _ => throw new EnvironmentUnavailableException(
            "The embedded environment is not part of this build yet: the scenario runner has no embedded implementation of IScenarioEnvironment to run on. Build from a revision that includes it, or use --list to see the matrix without running it."),
    };

    /// <summary>Explains what is missing for <c>--env docker</c>: first the engine, then the environment itself.</summary>
    public static string DockerMessage()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var reachable = !string.IsNullOrEmpty(host) || File.Exists("/var/run/docker.sock");
        return reachable
            ? "The docker environment (SinkIdempotency.Testcontainers: real Kafka, Kafka Connect and PostgreSQL containers) is not part of this build yet. Run with --env embedded."
            : "--env docker needs a Docker engine, and none is reachable (DOCKER_HOST is not set and /var/run/docker.sock does not exist). Start Docker or set DOCKER_HOST, or run with --env embedded, which needs no Docker.";
    }
}
