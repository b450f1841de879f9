namespace SinkIdempotency.Cli.Run;

/// <summary>Starts the environment <c>--env</c> names; the seam tests replace to run without starting one.</summary>
internal interface IScenarioSessionFactory
{
    /// <summary>Starts the environment; <paramref name="workDirectory"/> receives the runner's own files.</summary>
    /// <exception cref="Environments.EnvironmentUnavailableException">Thrown when the environment cannot be used here, with what to do about it.</exception>
    Task<IScenarioSession> StartAsync(EnvironmentKind kind, string workDirectory, CancellationToken cancellationToken);

    /// <summary>Starts the environment <paramref name="settings"/> name, with their endpoints (for <c>--env external</c>).</summary>
    /// <exception cref="Environments.EnvironmentUnavailableException">Thrown when the environment cannot be used here, with what to do about it.</exception>
    Task<IScenarioSession> StartAsync(RunSettings settings, string workDirectory, CancellationToken cancellationToken) =>
        StartAsync(settings.Environment, workDirectory, cancellationToken);
}
