using System.Globalization;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker;

/// <summary>
/// Runs an embedded, single-node, Kafka-wire-compatible broker on 127.0.0.1 that Confluent.Kafka
/// (librdkafka) clients use unmodified; for tests, never for production.
/// </summary>
/// <example>
/// <code>
/// await using var broker = new KafkaBroker();
/// await broker.StartAsync();
/// var config = new ProducerConfig { BootstrapServers = broker.BootstrapServers };
/// </code>
/// </example>
public sealed partial class KafkaBroker : IAsyncDisposable
{
    private readonly BrokerState _state;
    private readonly RequestDispatcher _dispatcher;
    private readonly ILogger _logger;
    private BrokerServer? _server;
    private ITimer? _retention;
    private int _started;
    private int _disposed;

    /// <summary>Creates a broker with the given options (not yet listening; call <see cref="StartAsync"/>).</summary>
    /// <param name="options">The options; null uses the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public KafkaBroker(KafkaBrokerOptions? options = null)
    {
        Options = options ?? new KafkaBrokerOptions();
        Options.Validate();
        _state = new BrokerState(Options);
        _logger = _state.CreateLogger<KafkaBroker>();
        _dispatcher = new RequestDispatcher(_state);
        _state.Topics.TopicDeleted += _state.Groups.RemoveTopic;
    }

    /// <summary>Gets the options the broker was created with.</summary>
    public KafkaBrokerOptions Options { get; }

    /// <summary>Gets the port the broker listens on.</summary>
    /// <exception cref="InvalidOperationException">The broker has not been started.</exception>
    public int Port => _server?.Port ?? throw NotStarted();

    /// <summary>Gets the bootstrap address for clients, <c>127.0.0.1:PORT</c>.</summary>
    /// <exception cref="InvalidOperationException">The broker has not been started.</exception>
    public string BootstrapServers => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Gets the number of client connections currently open.</summary>
    public int ConnectionCount => _server?.ConnectionCount ?? 0;

    /// <summary>Binds the listener and starts accepting clients; the broker is ready when this returns.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes once clients can connect.</returns>
    /// <exception cref="InvalidOperationException">The broker was already started or disposed.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The port is in use.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The broker is already started; create a new KafkaBroker to run another.");
        }

        var server = new BrokerServer(_dispatcher, _state);
        server.Start(Options.Port);
        _state.AdvertisedPort = server.Port;
        _server = server;
        if (Options.RetentionCheckInterval != Timeout.InfiniteTimeSpan)
        {
            _retention = _state.TimeProvider.CreateTimer(_ => ApplyRetentionOnSchedule(), null, Options.RetentionCheckInterval, Options.RetentionCheckInterval);
        }

        _logger.LogInformation("Embedded Kafka broker listening on {Bootstrap}", BootstrapServers);
        return Task.CompletedTask;
    }

    /// <summary>Stops the broker: closes the listener and every client connection, and completes held requests.</summary>
    /// <returns>A task that completes when the broker has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_retention is { } retention)
        {
            await retention.DisposeAsync().ConfigureAwait(false);
        }

        if (_server is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        _state.Groups.Shutdown();
    }

    private void ApplyRetentionOnSchedule()
    {
        try
        {
            foreach (var deletion in ApplyRetention())
            {
                _logger.LogInformation(
                    "Retention deleted {Segments} segment(s), {Bytes} bytes of {Topic}-{Partition} ({Reason}, {Config}={Limit}); log start offset {Before} -> {After}",
                    deletion.Segments, deletion.Bytes, deletion.Topic, deletion.Partition, deletion.Reason, deletion.ConfigName, deletion.ConfigValue, deletion.LogStartOffsetBefore, deletion.LogStartOffsetAfter);
            }
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The scheduled retention pass failed; the next one runs in {Interval}", Options.RetentionCheckInterval);
        }
    }

    private static InvalidOperationException NotStarted() =>
        new("The broker has not been started; call StartAsync first.");
}
