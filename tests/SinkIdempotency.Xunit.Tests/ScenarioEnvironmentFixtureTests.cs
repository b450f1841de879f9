using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Tests.Scenarios.Support;
using Xunit.Sdk;

namespace SinkIdempotency.Xunit.Tests;

public sealed class ScenarioEnvironmentFixtureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task InitializeAsync_DoesNotStartTheEnvironment()
    {
        await using var fixture = new CountingFixture(() => new SimulatedEnvironment());

        await fixture.InitializeAsync();

        fixture.Starts.Should().Be(0);
        fixture.IsStarted.Should().BeFalse();
    }

    [Fact]
    public async Task GetEnvironmentAsync_ConcurrentCallers_StartItOnce()
    {
        await using var fixture = new CountingFixture(() => new SimulatedEnvironment(), TimeSpan.FromMilliseconds(50));

        var environments = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken)));

        fixture.Starts.Should().Be(1);
        environments.Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task GetEnvironmentAsync_StartFailed_RethrowsTheSameFailureOnEveryUseWithoutRetrying()
    {
        var failure = new InvalidOperationException("PostgreSQL did not start: port in use");
        await using var fixture = new CountingFixture(() => throw failure);

        var first = await FluentActions.Awaiting(() => fixture.GetEnvironmentAsync()).Should().ThrowAsync<InvalidOperationException>();
        var second = await FluentActions.Awaiting(() => fixture.GetEnvironmentAsync()).Should().ThrowAsync<InvalidOperationException>();

        first.Which.Should().BeSameAs(failure);
        second.Which.Should().BeSameAs(failure);
        fixture.Starts.Should().Be(1);
    }

    [Fact]
    public async Task GetEnvironmentOrSkipAsync_Unavailable_SkipsWithTheReason()
    {
        await using var fixture = new CountingFixture(() => throw new ScenarioEnvironmentUnavailableException("Docker engine not reachable."));

        var skip = await FluentActions.Awaiting(() => fixture.GetEnvironmentOrSkipAsync()).Should().ThrowAsync<SkipException>();

        skip.Which.Message.Should().EndWith("Docker engine not reachable.");
    }

    [Fact]
    public async Task RequireAsync_MissingCapability_SkipsNamingIt()
    {
        await using var fixture = new CountingFixture(() => new SimulatedEnvironment(new SimulatedOptions { Capabilities = EnvironmentCapabilities.KillWorker }));

        var skip = await FluentActions.Awaiting(() => fixture.RequireAsync(EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.TargetFaultProxy)).Should().ThrowAsync<SkipException>();

        skip.Which.Message.Should().EndWith("The simulated environment lacks TargetFaultProxy.");
    }

    [Fact]
    public async Task DisposeAsync_StartedEnvironment_IsStoppedOnce()
    {
        var fixture = new CountingFixture(() => new SimulatedEnvironment());
        await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);

        await fixture.DisposeAsync();
        await fixture.DisposeAsync();

        fixture.Stops.Should().Be(1);
    }

    [Fact]
    public async Task DisposeAsync_NeverStartedOrFailedToStart_StopsNothing()
    {
        var unused = new CountingFixture(() => new SimulatedEnvironment());
        var failed = new CountingFixture(() => throw new InvalidOperationException("no"));
        await FluentActions.Awaiting(() => failed.GetEnvironmentAsync()).Should().ThrowAsync<InvalidOperationException>();

        await unused.DisposeAsync();
        await failed.DisposeAsync();

        unused.Stops.Should().Be(0);
        failed.Stops.Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_Scenario_ReturnsTheResultAndAttachesEvidenceAndSummary()
    {
        await using var fixture = new CountingFixture(() => new SimulatedEnvironment(), options: ScenarioFixtures.Options(_folder.Path));
        var scenario = ScenarioFixtures.Make("fixture-crash", ScenarioFixtures.Upsert, DeclaredSemantics.UpsertByKey).WithFault(new CrashAfterTargetWrite());

        var result = await fixture.RunAsync(scenario);

        result.Should().BeGreen().And.HaveInjectedTheFault();
        var attachments = TestContext.Current.Attachments!;
        attachments.Keys.Should().BeEquivalentTo(
            $"fixture-crash-{result.RunId}-evidence.json",
            $"fixture-crash-{result.RunId}-report.json",
            $"fixture-crash-{result.RunId}-summary.txt");
        attachments[$"fixture-crash-{result.RunId}-summary.txt"].AsString().Should().StartWith($"fixture-crash [crash-after-target-write] on simulated: GREEN");
    }

    [Fact]
    public async Task RunAsync_ScenarioNeedingMissingCapability_SkipsTheTest()
    {
        await using var fixture = new CountingFixture(() => new SimulatedEnvironment(new SimulatedOptions { Capabilities = EnvironmentCapabilities.None }), options: ScenarioFixtures.Options(_folder.Path));
        var scenario = ScenarioFixtures.Make("fixture-skip", ScenarioFixtures.Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new Rebalance());

        var skip = await FluentActions.Awaiting(() => fixture.RunAsync(scenario)).Should().ThrowAsync<SkipException>();

        skip.Which.Message.Should().EndWith("Rebalance needs the capabilities AddWorker, which the environment does not have. (simulated environment)");
    }

    [Fact]
    public async Task Publish_YellowResult_AddsAWarning()
    {
        var rows = new[] { 0, 1, 1, 2, 3, 4 }.Select(i => Results.Row(Results.Entry(i)));
        var result = Results.Make(rows, DeclaredSemantics.AtLeastOnce, evidencePath: null);

        ScenarioReporting.Publish(result);
        await Task.Yield();

        TestContext.Current.Warnings.Should().ContainSingle().Which.Should().Be("orders is yellow: only allowed anomalies (1 duplicated).");
    }

    private sealed class CountingFixture(Func<IScenarioDriver> start, TimeSpan? startDelay = null, ScenarioRunnerOptions? options = null) : ScenarioEnvironmentFixture
    {
        private int _starts;

        public int Starts => _starts;

        public int Stops { get; private set; }

        protected override ScenarioRunnerOptions RunnerOptions => options ?? base.RunnerOptions;

        protected override async Task<IScenarioDriver> StartEnvironmentAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _starts);
            if (startDelay is { } delay)
            {
                await Task.Delay(delay, cancellationToken);
            }

            return start();
        }

        protected override async ValueTask StopEnvironmentAsync(IScenarioDriver environment)
        {
            Stops++;
            await base.StopEnvironmentAsync(environment);
        }
    }
}
