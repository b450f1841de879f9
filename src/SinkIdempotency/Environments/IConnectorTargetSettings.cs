namespace SinkIdempotency.Environments;

/// <summary>Points connectors at a target the environment does not run itself; implemented by environments on a team's own database (the external environment).</summary>
/// <remarks>An environment without it runs its own target: the runner builds the connector settings from <see cref="ISinkEnvironment.Target"/>.</remarks>
public interface IConnectorTargetSettings
{
    /// <summary>Gets a value indicating whether a scenario's own target settings (<c>connection.url</c>, user, password) are used as written.</summary>
    /// <value><see langword="true"/> when the team's connector may reach the team's database under its own name (unless a fault needs the proxy).</value>
    bool UsesScenarioTargetSettings { get; }

    /// <summary>Creates the connector settings that point a sink at the target, directly or through the fault proxy.</summary>
    /// <param name="throughProxy">Whether the connector must reach the target through the fault proxy.</param>
    /// <returns>The settings to merge into the connector configuration.</returns>
    IReadOnlyDictionary<string, string> GetConnectorTargetSettings(bool throughProxy);
}
