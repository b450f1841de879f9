using SinkIdempotency.Cli.Run;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Support;

/// <summary>A fake runner: answers each scenario with a result from a function, records what ran and whether the session was disposed.</summary>
internal sealed class FakeSessions(Func<Scenario, ScenarioResult> answer) : IScenarioSessionFactory
{
    public List<string> Ran { get; } = [];

    private Func<Scenario, ScenarioResult> Answer { get; } = answer;

    public EnvironmentKind? StartedKind { get; private set; }

    public bool Disposed { get; private set; }

    public Exception? StartFailure { get; init; }

    public Task<IScenarioSession> StartAsync(EnvironmentKind kind, string workDirectory, CancellationToken cancellationToken)
    {
        if (StartFailure is not null)
        {
            throw StartFailure;
        }

        StartedKind = kind;
        return Task.FromResult<IScenarioSession>(new Session(this));
    }

    private sealed class Session(FakeSessions owner) : IScenarioSession
    {
        public string EnvironmentName => "fake";

        public Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken)
        {
            owner.Ran.Add(scenario.Name);
            return Task.FromResult(owner.Answer(scenario));
        }

        public ValueTask DisposeAsync()
        {
            owner.Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
