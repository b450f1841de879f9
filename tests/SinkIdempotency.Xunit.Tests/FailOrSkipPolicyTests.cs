using SinkIdempotency.Embedded;
using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Testcontainers;
using SinkIdempotency.Tests.Scenarios.Support;
using Xunit.Sdk;

namespace SinkIdempotency.Xunit.Tests;

/// <summary>
/// The shipped fixtures' fail-versus-skip policy, one test per cause: a capability absent by design (no Docker engine, no
/// external cluster configured) skips with its reason; a broken setup fails the test, whatever exception the part throws.
/// </summary>
/// <remarks>Runs alone: two tests set process-wide variables the embedded environment reads.</remarks>
[Collection(nameof(FailOrSkipPolicyTests))]
[CollectionDefinition(nameof(FailOrSkipPolicyTests), DisableParallelization = true)]
public sealed class FailOrSkipPolicyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Embedded_PostgreSqlBinariesNotWhereTheBuilderPoints_FailsTheTest()
    {
        var missing = Path.Combine(_folder.Path, "no-postgresql", "bin");
        await using var fixture = new EmbeddedFixture(b => b.WithPostgreSql(p => p.WithBinDirectory(missing)));

        var failure = await RunAndCatchAsync(fixture);

        AssertFailedNotSkipped(failure, "PostgreSQL");
    }

    [Fact]
    public async Task Embedded_PgBinVariableWrong_FailsTheTest()
    {
        var missing = Path.Combine(_folder.Path, "no-postgresql", "bin");
        using var variable = new VariableScope(LocalPostgreSqlOptions.BinDirectoryVariable, missing);
        await using var fixture = new EmbeddedFixture(b => b);

        var failure = await RunAndCatchAsync(fixture);

        AssertFailedNotSkipped(failure, "PostgreSQL");
    }

    [Fact]
    public async Task Embedded_WorkerPathVariableWrong_FailsTheTestNamingTheVariable()
    {
        var missing = Path.Combine(_folder.Path, "nowhere", "SinkIdempotency.Worker.dll");
        using var variable = new VariableScope(EmbeddedEnvironmentOptions.WorkerPathVariable, missing);
        await using var fixture = new EmbeddedFixture(b => b);

        var failure = await RunAndCatchAsync(fixture);

        AssertFailedNotSkipped(failure, "Connect worker");
        failure.Message.Should().Contain(EmbeddedEnvironmentOptions.WorkerPathVariable).And.Contain(missing);
    }

    [Fact]
    public async Task Embedded_WorkerThatDoesNotStart_FailsTheTest()
    {
        // A file named like the worker, with a runtimeconfig, that dotnet cannot run.
        var worker = Path.Combine(_folder.Path, "SinkIdempotency.Worker.dll");
        await File.WriteAllTextAsync(worker, "not an assembly", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.ChangeExtension(worker, ".runtimeconfig.json"), """{"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}""", TestContext.Current.CancellationToken);
        await using var fixture = new EmbeddedFixture(b => b.WithWorkerPath(worker).WithWorkerStartTimeout(TimeSpan.FromSeconds(30)));

        var failure = await RunAndCatchAsync(fixture);

        AssertFailedNotSkipped(failure, "Connect worker");
    }

    [Fact]
    public void Docker_NoEngine_SkipReasonKeepsTheProbeResultAndNamesNoCommandLineFlag()
    {
        var missing = new DockerUnavailableException($"No Docker engine is reachable (DOCKER_HOST is not set and /var/run/docker.sock does not exist): connection refused. {DockerUnavailableException.Advice}");
        using var fixture = new DockerFixture(new Dictionary<string, string>());

        var reason = fixture.ReasonToSkip(missing);

        reason.Should().Be(
            "The Docker environment needs a Docker engine, and none answered: No Docker engine is reachable (DOCKER_HOST is not set and /var/run/docker.sock does not exist): connection refused. "
            + "Start Docker or set DOCKER_HOST to run these tests; set SINKIDEMPOTENCY_REQUIRE_DOCKER=1 to make a missing engine fail them.");
        reason.Should().NotContain("--env");
    }

    [Fact]
    public void Docker_NoEngineWhereDockerIsRequired_Fails()
    {
        using var fixture = new DockerFixture(new Dictionary<string, string> { [DockerEnvironmentFixture.RequireDockerVariable] = "1" });

        fixture.ReasonToSkip(new DockerUnavailableException()).Should().BeNull();
    }

    [Fact]
    public void Docker_EngineAnswersButAPartFails_Fails()
    {
        using var fixture = new DockerFixture(new Dictionary<string, string>());

        fixture.ReasonToSkip(new EnvironmentStartException("docker", "Connect worker 1", new InvalidOperationException("image build failed"))).Should().BeNull();
    }

    [Fact]
    public async Task Docker_SkipVariableSet_SkipsWithoutTryingToStart()
    {
        await using var fixture = new DockerFixture(new Dictionary<string, string> { [DockerEnvironmentFixture.SkipDockerVariable] = "1" });

        var skip = await FluentActions.Awaiting(() => fixture.GetEnvironmentOrSkipAsync(TestContext.Current.CancellationToken)).Should().ThrowAsync<SkipException>();

        skip.Which.Message.Should().EndWith("SINKIDEMPOTENCY_SKIP_DOCKER=1 switches the Docker tests off here.");
        fixture.IsStarted.Should().BeFalse();
    }

    [Fact]
    public async Task Docker_NoEngineOnThisMachine_SkipsTheTestWithTheReason()
    {
        Assert.SkipWhen(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock"), "A Docker engine may be reachable here.");
        await using var fixture = new DockerFixture(new Dictionary<string, string>());

        var skip = await FluentActions.Awaiting(() => fixture.GetEnvironmentOrSkipAsync(TestContext.Current.CancellationToken)).Should().ThrowAsync<SkipException>();

        skip.Which.Message.Should().Contain("The Docker environment needs a Docker engine, and none answered").And.Contain("DOCKER_HOST").And.NotContain("--env");
    }

    private static async Task<Exception> RunAndCatchAsync(ScenarioEnvironmentFixture fixture)
    {
        var scenario = ReferenceMatrix.Make("policy", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new CrashAfterTargetWrite());
        var failure = await Record.ExceptionAsync(() => fixture.RunAsync(scenario));
        failure.Should().NotBeNull("a broken setup must fail the test");
        return failure!;
    }

    private static void AssertFailedNotSkipped(Exception failure, string part)
    {
        // Whatever the part threw is wrapped by the environment's start; it must never become a skip.
        failure.Should().NotBeOfType<SkipException>().And.NotBeOfType<ScenarioEnvironmentUnavailableException>();
        failure.Should().BeOfType<EnvironmentStartException>().Which.Part.Should().StartWith(part);
    }

    private sealed class EmbeddedFixture(Func<EmbeddedEnvironmentBuilder, EmbeddedEnvironmentBuilder> configure) : EmbeddedEnvironmentFixture
    {
        protected override EmbeddedEnvironmentBuilder Configure(EmbeddedEnvironmentBuilder builder) => configure(builder);
    }

    private sealed class DockerFixture(IReadOnlyDictionary<string, string> variables) : DockerEnvironmentFixture, IDisposable
    {
        protected override IReadOnlyDictionary<string, string>? Variables => variables;

        public string? ReasonToSkip(Exception failure) => SkipReason(failure);

        public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Sets a process environment variable and restores it on dispose.</summary>
    private sealed class VariableScope : IDisposable
    {
        private readonly string _name;
        private readonly string? _previous;

        public VariableScope(string name, string value)
        {
            _name = name;
            _previous = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
    }
}
