namespace SinkIdempotency.Connect;

/// <summary>Configures a <see cref="ConnectRestClient"/>.</summary>
public sealed class ConnectRestClientOptions
{
    /// <summary>Gets or sets the timeout of one HTTP call.</summary>
    /// <value>The default is 90 seconds, Connect's own REST request timeout.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Gets or sets how long a call refused with 409 because a rebalance or config change is under way is retried.</summary>
    /// <value>The default is 30 seconds; <see cref="TimeSpan.Zero"/> disables the retry.</value>
    public TimeSpan RebalanceRetryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the pause between retries of a call refused during a rebalance, and between polls of the wait helpers.</summary>
    /// <value>The default is 200 milliseconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the user name and password sent with every request as HTTP basic authentication, or <see langword="null"/> to send none.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    /// <remarks>The credentials never appear in this client's messages or exceptions.</remarks>
    public System.Net.NetworkCredential? BasicAuthentication { get; set; }

    /// <summary>Gets or sets the clock for retries, polls and deadlines.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(RebalanceRetryTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
