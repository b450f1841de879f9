using SinkIdempotency.Assessment;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Support;

/// <summary>A fake runner: answers each scenario with a result from a function, records what ran, where, how many at once, and whether every session was disposed.</summary>
internal sealed class FakeSessions(Func<Scenario, ScenarioResult> answer) : IScenarioSessionFactory
{
    private readonly Lock _gate = new();
    private readonly List<string> _ran = [];
    private int _running;

    public IReadOnlyList<string> Ran
    {
        get
        {
            lock (_gate)
            {
                return [.. _ran];
            }
        }
    }

    private Func<Scenario, ScenarioResult> Answer { get; } = answer;

    public EnvironmentKind? StartedKind { get; private set; }

    /// <summary>Gets the work folder of each started session, in start order.</summary>
    public List<string> WorkDirectories { get; } = [];

    public int DisposedCount { get; private set; }

    /// <summary>Gets a value indicating whether every started session was disposed.</summary>
    public bool Disposed => WorkDirectories.Count > 0 && DisposedCount == WorkDirectories.Count;

    /// <summary>Gets the most scenarios that ran at the same time.</summary>
    public int MaxConcurrent { get; private set; }

    public Exception? StartFailure { get; init; }

    /// <summary>Gets the start (1-based) that throws <see cref="StartFailure"/>; 1 unless set.</summary>
    public int FailingStart { get; init; } = 1;

    /// <summary>Gets the check each session makes of a scenario before anything runs; none unless set.</summary>
    public Action<Scenario>? CheckScenario { get; init; }

    /// <summary>Gets how long each scenario takes.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>Gets what the sessions answer an assessment about their cluster; <see langword="null"/> answers that the cluster is not exposed.</summary>
    public KafkaLayerFacts? KafkaFacts { get; init; }

    /// <summary>Gets the settings of the last start made with settings.</summary>
    public RunSettings? StartedSettings { get; private set; }

    /// <summary>Gets the answer to the rollback dual run, given the legacy and new configurations; null answers that the environment ran none.</summary>
    public Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>, DualRunResult?>? DualRun { get; init; }

    /// <summary>Gets the legacy and new configurations the dual run was asked for, or null when it was not.</summary>
    public (IReadOnlyDictionary<string, string> Legacy, IReadOnlyDictionary<string, string> New)? DualRunAsked { get; private set; }

    public Task<IScenarioSession> StartAsync(RunSettings settings, string workDirectory, CancellationToken cancellationToken)
    {
        StartedSettings = settings;
        return StartAsync(settings.Environment, workDirectory, cancellationToken);
    }

    public Task<IScenarioSession> StartAsync(EnvironmentKind kind, string workDirectory, CancellationToken cancellationToken)
    {
        if (StartFailure is not null && WorkDirectories.Count + 1 == FailingStart)
        {
            throw StartFailure;
        }

        StartedKind = kind;
        WorkDirectories.Add(workDirectory);
        return Task.FromResult<IScenarioSession>(new Session(this));
    }

    private sealed class Session(FakeSessions owner) : IScenarioSession
    {
        public string EnvironmentName => "fake";

        public void Check(Scenario scenario) => owner.CheckScenario?.Invoke(scenario);

        public Task<KafkaLayerFacts> ReadKafkaLayerAsync(AssessmentDefinition definition, CancellationToken cancellationToken) =>
            Task.FromResult(owner.KafkaFacts ?? IScenarioSession.NoCluster(definition, EnvironmentName));

        public Task<DualRunResult?> RunDualAsync(IReadOnlyDictionary<string, string> legacy, IReadOnlyDictionary<string, string> next, CancellationToken cancellationToken)
        {
            owner.DualRunAsked = (legacy, next);
            return Task.FromResult(owner.DualRun?.Invoke(legacy, next));
        }

        public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken)
        {
            lock (owner._gate)
            {
                owner._ran.Add(scenario.Name);
                owner._running++;
                owner.MaxConcurrent = Math.Max(owner.MaxConcurrent, owner._running);
            }

            try
            {
                if (owner.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(owner.Delay, cancellationToken);
                }

                return owner.Answer(scenario);
            }
            finally
            {
                lock (owner._gate)
                {
                    owner._running--;
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            lock (owner._gate)
            {
                owner.DisposedCount++;
            }

            return ValueTask.CompletedTask;
        }
    }
}
