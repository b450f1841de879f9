using SinkIdempotency.Scenarios;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Xunit;

/// <summary>Shares one Docker environment (real Kafka, real Kafka Connect with the Confluent JDBC sink, PostgreSQL, the fault proxy) across a collection.</summary>
/// <remarks>
/// Use it through <see cref="DockerCollection"/>, or derive from it and override
/// <see cref="SinkEnvironmentFixture{TBuilder, TEnvironment}.Configure"/>. Where no Docker engine answers, every test that uses it
/// is skipped with the reason, unless <see cref="RequireDockerVariable"/> is <c>1</c> (a CI job that must run them), where
/// that fails them. <see cref="SkipDockerVariable"/> skips them even where Docker runs. Any other start failure (an image
/// that does not build, a container that does not start) fails them.
/// </remarks>
public class DockerEnvironmentFixture : SinkEnvironmentFixture<DockerEnvironmentBuilder, DockerEnvironment>
{
    /// <summary>Names the environment variable that turns "no Docker engine" from a skip into a failure when it is <c>1</c>.</summary>
    public const string RequireDockerVariable = "SINKIDEMPOTENCY_REQUIRE_DOCKER";

    /// <summary>Names the environment variable that skips the Docker tests even where Docker runs when it is <c>1</c> (e.g. a CI job that runs them in another job).</summary>
    public const string SkipDockerVariable = "SINKIDEMPOTENCY_SKIP_DOCKER";

    /// <summary>Gets the runner options: results under the test output folder, 50 ms polls.</summary>
    /// <value>Evidence in <c>sink-idempotency-results-docker</c> next to the test assembly; a 50 ms poll interval.</value>
    protected override ScenarioRunnerOptions RunnerOptions => new()
    {
        OutputDirectory = Path.Combine(AppContext.BaseDirectory, "sink-idempotency-results-docker"),
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>Gets the environment variables the fixture reads, or <see langword="null"/> for the process's own.</summary>
    /// <value><see langword="null"/>.</value>
    protected virtual IReadOnlyDictionary<string, string>? Variables => null;

    /// <summary>Returns the skip reason for a missing Docker engine, without the command-line advice the exception carries.</summary>
    /// <param name="missing">What the Docker probe reported.</param>
    /// <returns>The reason a test shows when it is skipped.</returns>
    public static string SkipMessage(DockerUnavailableException missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var reason = missing.Message.Replace(DockerUnavailableException.Advice, string.Empty, StringComparison.Ordinal).Trim().TrimEnd('.');
        return $"The Docker environment needs a Docker engine, and none answered: {reason}. Start Docker or set DOCKER_HOST to run these tests; set {RequireDockerVariable}=1 to make a missing engine fail them.";
    }

    /// <summary>Creates the builder of the Docker known answers (<see cref="JdbcSinkMatrix.EnvironmentBuilder"/>), with the broker chosen by <see cref="DockerEnvironmentOptions.KafkaFlavourVariable"/>, saving every container's log under the results folder's <c>container-logs</c> before the containers are removed.</summary>
    /// <returns>The builder.</returns>
    protected override DockerEnvironmentBuilder CreateBuilder() => JdbcSinkMatrix.EnvironmentBuilder()
        .WithKafkaFrom(Variable)
        .WithContainerLogDirectory(Path.Combine(RunnerOptions.OutputDirectory, "container-logs"));

    /// <inheritdoc/>
    protected override string? SkipBeforeStart() =>
        Variable(SkipDockerVariable) == "1" ? $"{SkipDockerVariable}=1 switches the Docker tests off here." : null;

    /// <inheritdoc/>
    protected override string? SkipReason(Exception startFailure) =>
        startFailure is DockerUnavailableException missing && Variable(RequireDockerVariable) != "1" ? SkipMessage(missing) : null;

    private string? Variable(string name) => Variables is { } variables ? variables.GetValueOrDefault(name) : Environment.GetEnvironmentVariable(name);
}
