using SinkIdempotency.Scenarios;
using SinkIdempotency.Testcontainers;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.Testcontainers.Tests.Docker;

/// <summary>Starts one Docker environment (Apache Kafka, one Connect worker with the Confluent JDBC sink, PostgreSQL, the fault proxy) for the whole collection.</summary>
/// <remarks>Without Docker the tests skip with the reason, unless <see cref="RequireDockerVariable"/> is <c>1</c> (CI on a runner with Docker), where a missing engine fails them.</remarks>
public sealed class DockerScenarioFixture : ScenarioEnvironmentFixture
{
    /// <summary>The environment variable that turns "Docker unavailable" from a skip into a failure.</summary>
    public const string RequireDockerVariable = "SINKIDEMPOTENCY_REQUIRE_DOCKER";

    /// <summary>The environment variable that skips the Docker suite even where Docker runs (CI's main job; the suite has its own job).</summary>
    public const string SkipDockerVariable = "SINKIDEMPOTENCY_SKIP_DOCKER";

    /// <summary>The folder the scenarios' evidence and the containers' logs are written to; CI uploads it.</summary>
    internal static string ResultsDirectory => Path.Combine(AppContext.BaseDirectory, "sink-idempotency-results-docker");

    protected override ScenarioRunnerOptions RunnerOptions => new()
    {
        OutputDirectory = ResultsDirectory,
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>Turns a missing engine into a skip, or into a failure when Docker is required.</summary>
    internal static Exception Unavailable(DockerUnavailableException missing, string? requireDocker) =>
        requireDocker == "1"
            ? new InvalidOperationException($"{RequireDockerVariable}=1, so the Docker suite must run, but: {missing.Message}", missing)
            : new ScenarioEnvironmentUnavailableException($"The docker environment needs a Docker engine: {missing.Message}", missing);

    protected override async Task<IScenarioEnvironment> StartEnvironmentAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(SkipDockerVariable) == "1")
        {
            throw new ScenarioEnvironmentUnavailableException($"{SkipDockerVariable}=1: the Docker suite runs in its own CI job.");
        }

        DockerEnvironment environment;
        try
        {
            environment = await JdbcSinkMatrix.EnvironmentBuilder()
                .WithKafkaFromEnvironmentVariables()
                .WithContainerLogDirectory(Path.Combine(ResultsDirectory, "container-logs"))
                .StartAsync(cancellationToken);
        }
        catch (DockerUnavailableException ex)
        {
            throw Unavailable(ex, Environment.GetEnvironmentVariable(RequireDockerVariable));
        }

        // Asks the worker (GET /) whether it serves the KIP-875 offsets API; cp-kafka-connect 7.7 is Kafka Connect 3.7, which does.
        return await SinkScenarioEnvironment.CreateAsync(environment, ownsEnvironment: true, cancellationToken);
    }
}
