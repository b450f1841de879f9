using SinkIdempotency.Targets;

namespace SinkIdempotency.Environments;

/// <summary>Serves target kinds beyond the environment's PostgreSQL (<see cref="ISinkEnvironment.Target"/>); implemented by the embedded environment for MySQL/MariaDB.</summary>
/// <remarks>An environment without it serves only <see cref="ScenarioTarget.PostgreSqlKind"/>; a scenario naming another kind is refused before anything is created.</remarks>
public interface ISinkTargetHost
{
    /// <summary>Gets the kinds <see cref="OpenTargetAsync"/> serves besides PostgreSQL.</summary>
    IReadOnlyList<string> TargetKinds { get; }

    /// <summary>Opens a target of a kind, starting its server (and a fault proxy speaking its protocol) the first time it is asked for.</summary>
    /// <param name="kind">One of <see cref="TargetKinds"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The target; the caller disposes it, the server stays until the environment is disposed.</returns>
    /// <exception cref="EnvironmentStartException">The server could not start (for example <c>mariadbd</c> is not installed).</exception>
    Task<ISinkTarget> OpenTargetAsync(string kind, CancellationToken cancellationToken = default);
}
