using System.Runtime.ExceptionServices;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using Xunit;

namespace SinkIdempotency.Xunit;

/// <summary>Shares one scenario environment across the tests of a collection: starts it on first use, keeps a start failure and rethrows it where used, disposes only what started.</summary>
/// <remarks>
/// Derive one class per environment and use it as an <c>ICollectionFixture&lt;T&gt;</c> (or an assembly fixture). When
/// starting throws <see cref="ScenarioEnvironmentUnavailableException"/> (no Docker engine, no PostgreSQL binaries),
/// every test that uses the environment is skipped with that message; any other start failure fails those tests.
/// <code>
/// public sealed class EmbeddedFixture : ScenarioEnvironmentFixture
/// {
///     protected override Task&lt;IScenarioDriver&gt; StartEnvironmentAsync(CancellationToken cancellationToken) => …;
/// }
/// </code>
/// </remarks>
public abstract class ScenarioEnvironmentFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IScenarioDriver? _environment;
    private ExceptionDispatchInfo? _startFailure;
    private bool _disposed;

    /// <summary>Gets a value indicating whether the environment started successfully.</summary>
    /// <value><see langword="false"/> until the first successful start.</value>
    public bool IsStarted => _environment is not null;

    /// <summary>Gets the runner options used by <see cref="RunAsync"/>.</summary>
    /// <value>The <see cref="ScenarioRunnerOptions"/> defaults.</value>
    protected virtual ScenarioRunnerOptions RunnerOptions => new();

    /// <summary>Starts the environment on first use and returns it; later calls return the same one, or rethrow the start failure.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started environment.</returns>
    public async Task<IScenarioDriver> GetEnvironmentAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_environment is { } started)
        {
            return started;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _startFailure?.Throw();
            if (_environment is null)
            {
                try
                {
                    _environment = await StartEnvironmentAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _startFailure = ExceptionDispatchInfo.Capture(ex);
                    throw;
                }
            }

            return _environment;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Returns the environment, or skips the current test with the reason when it is unavailable on this machine.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started environment.</returns>
    public async Task<IScenarioDriver> GetEnvironmentOrSkipAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetEnvironmentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ScenarioEnvironmentUnavailableException ex)
        {
            Assert.Skip(ex.Message);
            throw;
        }
    }

    /// <summary>Skips the current test with the reason unless the environment has every capability given.</summary>
    /// <param name="required">The capabilities the test needs.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the check passed.</returns>
    public async Task RequireAsync(EnvironmentCapabilities required, CancellationToken cancellationToken = default)
    {
        var environment = await GetEnvironmentOrSkipAsync(cancellationToken).ConfigureAwait(false);
        var missing = required & ~environment.Capabilities;
        Assert.SkipWhen(missing != EnvironmentCapabilities.None, $"The {environment.Name} environment lacks {missing}.");
    }

    /// <summary>Runs a scenario on the environment, publishes the summary and evidence to the test, and skips the test when the scenario was skipped.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="options">The runner options, or <see langword="null"/> for <see cref="RunnerOptions"/>.</param>
    /// <returns>The result, ready for <c>result.Should().BeGreen()</c>.</returns>
    public async Task<ScenarioResult> RunAsync(Scenario scenario, ScenarioRunnerOptions? options = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var environment = await GetEnvironmentOrSkipAsync(cancellationToken).ConfigureAwait(false);
        var result = await new ScenarioRunner(environment, options ?? RunnerOptions).RunAsync(scenario, cancellationToken).ConfigureAwait(false);
        ScenarioReporting.Publish(result);
        Assert.SkipWhen(result.Outcome == ScenarioOutcome.Skipped, result.SkipReason ?? "The scenario was skipped.");
        return result;
    }

    /// <summary>Does nothing: the environment starts on first use, so collections whose tests all skip never start it.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Stops the environment if, and only if, it started.</summary>
    /// <returns>A task that completes when the environment is stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_environment is { } environment)
        {
            _environment = null;
            await StopEnvironmentAsync(environment).ConfigureAwait(false);
        }

        _gate.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the environment; throw <see cref="ScenarioEnvironmentUnavailableException"/> when this machine cannot run it.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started environment.</returns>
    protected abstract Task<IScenarioDriver> StartEnvironmentAsync(CancellationToken cancellationToken);

    /// <summary>Stops an environment that started; by default disposes its driver (which disposes the environment it owns).</summary>
    /// <param name="environment">The environment's driver.</param>
    /// <returns>A task that completes when the environment is stopped.</returns>
    protected virtual ValueTask StopEnvironmentAsync(IScenarioDriver environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.DisposeAsync();
    }
}
