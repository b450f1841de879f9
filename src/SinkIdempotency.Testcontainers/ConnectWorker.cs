using System.Globalization;
using DotNet.Testcontainers.Containers;

namespace SinkIdempotency.Testcontainers;

/// <summary>One Connect worker container and what the environment knows about it.</summary>
internal sealed class ConnectWorker(int number, IContainer container)
{
    /// <summary>Gets the worker number, from 1.</summary>
    public int Number { get; } = number;

    /// <summary>Gets the container.</summary>
    public IContainer Container { get; } = container;

    /// <summary>Gets the worker id Connect reports (<c>connect-N:8083</c>).</summary>
    public string WorkerId { get; } = ContainerSettings.ConnectWorkerId(number);

    /// <summary>Gets or sets a value indicating whether the worker runs as far as the environment knows (false after a kill or a stop).</summary>
    public bool IsRunning { get; set; }

    /// <summary>Gets the REST URL on this machine (the published port changes when the container restarts).</summary>
    public Uri RestUrl => new(string.Create(
        CultureInfo.InvariantCulture,
        $"http://{HostFor(Container.Hostname)}:{Container.GetMappedPublicPort(ContainerSettings.ConnectRestPort)}/"));

    /// <summary>Maps <c>localhost</c> to 127.0.0.1 so clients do not try IPv6 first.</summary>
    public static string HostFor(string hostname) =>
        string.Equals(hostname, "localhost", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" : hostname;
}
