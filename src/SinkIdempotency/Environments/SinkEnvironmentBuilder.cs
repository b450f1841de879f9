namespace SinkIdempotency.Environments;

/// <summary>Builds an environment immutably: every <c>With…</c> returns a new builder; <see cref="Build"/> checks the options and <see cref="StartAsync"/> starts what it built.</summary>
/// <typeparam name="TBuilder">The concrete builder, returned by every <c>With…</c>.</typeparam>
/// <typeparam name="TEnvironment">The environment it builds.</typeparam>
/// <typeparam name="TOptions">The options it holds.</typeparam>
public abstract class SinkEnvironmentBuilder<TBuilder, TEnvironment, TOptions> : ISinkEnvironmentBuilder<TEnvironment>
    where TBuilder : SinkEnvironmentBuilder<TBuilder, TEnvironment, TOptions>
    where TEnvironment : IStartableSinkEnvironment
    where TOptions : SinkEnvironmentOptions
{
    /// <summary>Initializes a new instance of the <see cref="SinkEnvironmentBuilder{TBuilder, TEnvironment, TOptions}"/> class.</summary>
    /// <param name="options">The options it holds.</param>
    protected SinkEnvironmentBuilder(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>Gets the options this builder holds.</summary>
    public TOptions Options { get; }

    /// <summary>Sets the clock for deadlines.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return With<SinkEnvironmentOptions>(o => o with { TimeProvider = timeProvider });
    }

    /// <summary>Checks the options and creates an environment that is not started yet.</summary>
    /// <returns>The environment; call its <c>StartAsync</c> and dispose it.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it and what to change.</exception>
    public TEnvironment Build()
    {
        var options = Prepare(Options);
        options.Validate();
        return Create(options);
    }

    /// <summary>Builds and starts an environment; a failed start disposes what it built before the exception leaves.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running environment; dispose it to stop everything.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="EnvironmentUnavailableException">What the environment needs is absent by design (no Docker engine…).</exception>
    /// <exception cref="EnvironmentStartException">A part failed to start; the message names it.</exception>
    public async Task<TEnvironment> StartAsync(CancellationToken cancellationToken = default)
    {
        var environment = Build();
        try
        {
            await environment.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await environment.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return environment;
    }

    /// <summary>Creates the concrete builder that holds <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>A new builder.</returns>
    protected abstract TBuilder Clone(TOptions options);

    /// <summary>Creates the environment from checked options.</summary>
    /// <param name="options">The options, already checked.</param>
    /// <returns>The environment, not started.</returns>
    protected abstract TEnvironment Create(TOptions options);

    /// <summary>Normalizes the options before they are checked (for example, moves credentials out of URLs).</summary>
    /// <param name="options">The options this builder holds.</param>
    /// <returns>The options to check and build from; by default <paramref name="options"/>.</returns>
    protected virtual TOptions Prepare(TOptions options) => options;

    /// <summary>Returns a new builder whose options <paramref name="change"/> derived from this one's through the shared base record.</summary>
    /// <typeparam name="TBase">The base record that declares the changed settings.</typeparam>
    /// <param name="change">Copies the options with the change (a <c>with</c> expression on <typeparamref name="TBase"/>).</param>
    /// <returns>A new builder.</returns>
    /// <remarks>A record's <c>with</c> copies through its virtual clone, so the copy keeps the concrete options type.</remarks>
    private protected TBuilder With<TBase>(Func<TBase, TBase> change)
        where TBase : SinkEnvironmentOptions =>
        Clone((TOptions)(SinkEnvironmentOptions)change((TBase)(SinkEnvironmentOptions)Options));
}
