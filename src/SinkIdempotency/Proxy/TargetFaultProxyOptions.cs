namespace SinkIdempotency.Proxy;

/// <summary>Configures a <see cref="TargetFaultProxy"/>: where the target listens and how the proxy behaves.</summary>
public sealed class TargetFaultProxyOptions
{
    /// <summary>Gets or sets the host name or address of the target the proxy forwards to.</summary>
    /// <value>The default is <c>127.0.0.1</c>.</value>
    public string TargetHost { get; set; } = "127.0.0.1";

    /// <summary>Gets or sets the TCP port of the target the proxy forwards to.</summary>
    /// <value>The default is 0, which is invalid: a target port must be set.</value>
    public int TargetPort { get; set; }

    /// <summary>Gets or sets the 127.0.0.1 port the proxy listens on.</summary>
    /// <value>The default is 0: the operating system picks a free port.</value>
    public int ListenPort { get; set; }

    /// <summary>Gets or sets how long the proxy waits for the target to accept a connection before it resets the client's connection.</summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan TargetConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the size of the buffer each direction of a connection reads into.</summary>
    /// <value>The default is 16 KiB.</value>
    public int BufferSize { get; set; } = 16 * 1024;

    /// <summary>Gets or sets the wire protocol the target speaks, which decides which reply <see cref="TargetFaultProxy.WithholdNextDurableWriteReply"/> withholds.</summary>
    /// <value>The default is <see cref="TargetWireProtocol.PostgreSql"/>.</value>
    public TargetWireProtocol Protocol { get; set; } = TargetWireProtocol.PostgreSql;

    /// <summary>Gets or sets the clock used to schedule delayed bytes and to stamp behaviour changes.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(TargetHost))
        {
            throw new ArgumentException("TargetFaultProxyOptions.TargetHost is empty; set it to the host of the target (e.g. 127.0.0.1).", nameof(TargetHost));
        }

        if (TargetPort is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(TargetPort), TargetPort, "TargetFaultProxyOptions.TargetPort must be between 1 and 65535; set it to the port the target listens on.");
        }

        if (ListenPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(ListenPort), ListenPort, "TargetFaultProxyOptions.ListenPort must be between 0 (any free port) and 65535.");
        }

        if (TargetConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TargetConnectTimeout), TargetConnectTimeout, "TargetFaultProxyOptions.TargetConnectTimeout must be positive.");
        }

        if (BufferSize < 512)
        {
            throw new ArgumentOutOfRangeException(nameof(BufferSize), BufferSize, "TargetFaultProxyOptions.BufferSize must be at least 512 bytes.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
