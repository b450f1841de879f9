namespace SinkIdempotency.Environments;

/// <summary>Holds the settings every environment's options share; <see cref="SinkEnvironmentBuilder{TBuilder, TEnvironment, TOptions}"/> sets them.</summary>
public abstract record SinkEnvironmentOptions
{
    /// <summary>Gets the clock for deadlines.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the options and throws an exception naming the option to change.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public abstract void Validate();
}
