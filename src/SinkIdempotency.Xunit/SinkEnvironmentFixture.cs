using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Xunit;

/// <summary>Shares one environment, started from a <typeparamref name="TBuilder"/>, across the tests of a collection; a team's fixture only overrides <see cref="Configure"/>.</summary>
/// <typeparam name="TBuilder">The environment builder, e.g. <see cref="EmbeddedEnvironmentBuilder"/>.</typeparam>
/// <typeparam name="TEnvironment">The environment it starts.</typeparam>
/// <remarks>
/// <para>
/// The environment starts on first use (see <see cref="ScenarioEnvironmentFixture"/>). A start failure is a test failure,
/// except the causes <see cref="SkipReason"/> names: a capability that is absent by design on this machine (no Docker
/// engine; no external cluster configured at all), which skip every test that uses the fixture with the reason.
/// A broken setup (PostgreSQL binaries not where they were pointed, a worker that does not start, a cluster that is
/// configured but unreachable) always fails, so a suite never passes by running nothing.
/// </para>
/// <code>
/// public sealed class OrdersFixture : EmbeddedEnvironmentFixture
/// {
///     protected override EmbeddedEnvironmentBuilder Configure(EmbeddedEnvironmentBuilder builder) => builder.WithWorkers(2);
/// }
/// </code>
/// </remarks>
public abstract class SinkEnvironmentFixture<TBuilder, TEnvironment> : ScenarioEnvironmentFixture
    where TBuilder : ISinkEnvironmentBuilder<TEnvironment>, new()
    where TEnvironment : ISinkEnvironment
{
    private TEnvironment? _environment;

    /// <summary>Starts the environment on first use and returns it, for what scenarios do not cover (e.g. the embedded broker's fault API).</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started environment.</returns>
    /// <exception cref="ScenarioEnvironmentUnavailableException">The environment cannot run on this machine by design (see <see cref="SkipReason"/>).</exception>
    public async Task<TEnvironment> GetSinkEnvironmentAsync(CancellationToken cancellationToken = default)
    {
        await GetEnvironmentAsync(cancellationToken).ConfigureAwait(false);
        return _environment!;
    }

    /// <summary>Creates the builder with this fixture's defaults, before <see cref="Configure"/>.</summary>
    /// <returns>A new <typeparamref name="TBuilder"/>.</returns>
    protected virtual TBuilder CreateBuilder() => new();

    /// <summary>Changes the builder's settings; the one override a team's fixture usually needs.</summary>
    /// <param name="builder">The builder with the fixture's defaults.</param>
    /// <returns>The builder to start the environment from.</returns>
    protected virtual TBuilder Configure(TBuilder builder) => builder;

    /// <summary>Returns why the environment cannot run here by design, turning a start failure into a skip; <see langword="null"/> keeps it a failure.</summary>
    /// <param name="startFailure">What starting threw.</param>
    /// <returns>The skip reason, or <see langword="null"/> (the default) so the failure fails the tests.</returns>
    protected virtual string? SkipReason(Exception startFailure) => null;

    /// <summary>Returns why the environment must not start here, before trying; <see langword="null"/> (the default) starts it.</summary>
    /// <returns>The skip reason, or <see langword="null"/>.</returns>
    protected virtual string? SkipBeforeStart() => null;

    /// <inheritdoc/>
    protected sealed override async Task<IScenarioDriver> StartEnvironmentAsync(CancellationToken cancellationToken)
    {
        if (SkipBeforeStart() is { } before)
        {
            throw new ScenarioEnvironmentUnavailableException(before);
        }

        TEnvironment environment;
        try
        {
            environment = await Configure(CreateBuilder()).StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && SkipReason(ex) is { } reason)
        {
            throw new ScenarioEnvironmentUnavailableException(reason, ex);
        }

        // Disposes the environment when its Connect cluster does not answer.
        var adapter = await environment.CreateScenarioDriverAsync(ownsEnvironment: true, cancellationToken).ConfigureAwait(false);
        _environment = environment;
        return adapter;
    }
}
