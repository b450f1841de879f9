using System.Globalization;
using System.Runtime.InteropServices;

namespace SinkIdempotency.Kafka;

/// <summary>Runs librdkafka's built-in mock Kafka cluster in this process: a second, independent Kafka implementation to run scenarios against.</summary>
/// <remarks>
/// <para>
/// The mock (<c>rd_kafka_mock_cluster_new</c>) ships inside the librdkafka that Confluent.Kafka loads; this type binds that very
/// library (see <c>LibrdkafkaNative</c>). It listens on 127.0.0.1 and serves produce (idempotent included), fetch, list offsets,
/// metadata, the classic consumer-group protocol and offset commit/fetch. It serves no topic or group administration:
/// no CreateTopics, DeleteTopics, DescribeGroups, ListGroups, DeleteGroups, OffsetDelete, DescribeConfigs, DeleteRecords,
/// DescribeCluster or ACLs. Topics are made through <see cref="CreateTopicAsync"/> (this type is an <see cref="IKafkaTopicAdmin"/>);
/// a topic a client asks for in a metadata request that allows auto-creation is made with 4 partitions.
/// </para>
/// <para>
/// librdkafka marks the mock API experimental and outside its stability guarantees. Dispose the cluster after every
/// client of it: disposing closes its listeners, so nothing keeps listening once it returns.
/// </para>
/// </remarks>
public sealed class LibrdkafkaMockCluster : IKafkaTopicAdmin, IDisposable
{
    private const int ProducerType = 0;
    private const int MaxLogLines = 2_000;
    private const int TopicAlreadyExists = 36;
    private const int UnknownTopicOrPartition = 3;
    private readonly Lock _gate = new();
    private readonly Lock _logGate = new();
    private readonly Queue<string> _log = new();
    private readonly LibrdkafkaNative.LogCallback _logCallback;
    private nint _kafka;
    private nint _cluster;

    private LibrdkafkaMockCluster(int brokers, TimeSpan? initialRebalanceDelay)
    {
        var api = LibrdkafkaNative.Api;

        // librdkafka calls the log callback from its own threads for as long as the handle lives; the field keeps the delegate alive.
        _logCallback = OnLog;
        var conf = api.ConfNew();
        var error = Marshal.AllocHGlobal(512);
        try
        {
            Set(api, conf, "client.id", "sinkidempotency-mock-cluster", error);
            api.ConfSetLog(conf, _logCallback);
            _kafka = api.KafkaNew(ProducerType, conf, error, 512);
            if (_kafka == 0)
            {
                // rd_kafka_new takes the configuration only when it succeeds.
                api.ConfDestroy(conf);
                throw new InvalidOperationException($"librdkafka could not create the handle that owns the mock cluster: {Marshal.PtrToStringUTF8(error)}");
            }

            _cluster = api.MockClusterNew(_kafka, brokers);
            if (_cluster == 0)
            {
                api.KafkaDestroy(_kafka);
                _kafka = 0;
                throw new InvalidOperationException($"librdkafka could not start a mock cluster of {brokers} broker(s) on 127.0.0.1: {string.Join(" | ", RecentLog)}");
            }

            // The mock advertises no controller (-1) unless told, and librdkafka's admin client waits for one before any
            // controller-bound request (CreateTopics, DescribeTopics…), until its timeout. Every Kafka cluster has a controller;
            // naming broker 1 makes those requests answered (or refused as unsupported) at once, as on a real cluster.
            api.MockSetControllerId(_cluster, 1);
            if (initialRebalanceDelay is { } delay)
            {
                api.MockGroupInitialRebalanceDelay(_cluster, (int)delay.TotalMilliseconds);
            }

            BootstrapServers = Marshal.PtrToStringUTF8(api.MockClusterBootstraps(_cluster)) ?? string.Empty;
            Brokers = brokers;
        }
        finally
        {
            Marshal.FreeHGlobal(error);
        }
    }

    /// <summary>Gets the bootstrap servers of the cluster's brokers, <c>127.0.0.1:port[,…]</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Gets the number of brokers.</summary>
    public int Brokers { get; }

    /// <summary>Gets the native library the cluster runs in, as Confluent.Kafka resolved it (e.g. <c>librdkafka</c>).</summary>
    public static string NativeLibraryName => LibrdkafkaNative.LibraryName;

    /// <summary>Gets the endpoint to give an environment or a <see cref="KafkaProbe"/>.</summary>
    public KafkaEndpoint Endpoint => new(BootstrapServers);

    /// <summary>Gets the last log lines librdkafka wrote for the cluster (warnings and errors), oldest first.</summary>
    public IReadOnlyList<string> RecentLog
    {
        get
        {
            lock (_logGate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Starts a mock cluster in this process.</summary>
    /// <param name="brokers">The number of brokers, 1 to 16; broker ids run from 1.</param>
    /// <param name="initialRebalanceDelay">The groups' initial rebalance delay (a broker's <c>group.initial.rebalance.delay.ms</c>), or <see langword="null"/> for the mock's default of 3 s.</param>
    /// <returns>The running cluster; dispose it to stop it.</returns>
    /// <exception cref="DllNotFoundException">Confluent.Kafka's native library cannot be bound again, or lacks the mock API.</exception>
    /// <exception cref="InvalidOperationException">librdkafka could not start the cluster.</exception>
    public static LibrdkafkaMockCluster Start(int brokers = 1, TimeSpan? initialRebalanceDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokers, 16);
        if (initialRebalanceDelay is { } delay && (delay < TimeSpan.Zero || delay > TimeSpan.FromMinutes(5)))
        {
            throw new ArgumentOutOfRangeException(nameof(initialRebalanceDelay), delay, "The initial rebalance delay must be between 0 and 5 minutes.");
        }

        return new LibrdkafkaMockCluster(brokers, initialRebalanceDelay);
    }

    /// <inheritdoc/>
    /// <remarks>The mock keeps no topic configs, so <paramref name="configs"/> is ignored; the replication factor is the broker count, at most 3.</remarks>
    public Task CreateTopicAsync(string topic, int partitions, IReadOnlyDictionary<string, string>? configs, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        cancellationToken.ThrowIfCancellationRequested();
        int error;
        lock (_gate)
        {
            error = LibrdkafkaNative.Api.MockTopicCreate(Handle(), topic, partitions, Math.Min(3, Brokers));
        }

        return error switch
        {
            0 => Task.CompletedTask,
            TopicAlreadyExists => throw new InvalidOperationException($"Topic '{topic}' already exists on the mock cluster at {BootstrapServers}; the harness only writes to topics it creates, so use a run-specific name."),
            _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The mock cluster at {BootstrapServers} could not create topic '{topic}' with {partitions} partition(s): {LibrdkafkaNative.ErrorText(error)}.")),
        };
    }

    /// <inheritdoc/>
    public Task DeleteTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        cancellationToken.ThrowIfCancellationRequested();
        int error;
        lock (_gate)
        {
            error = LibrdkafkaNative.Api.MockTopicDelete(Handle(), topic);
        }

        return error is 0 or UnknownTopicOrPartition
            ? Task.CompletedTask
            : throw new InvalidOperationException($"The mock cluster at {BootstrapServers} could not delete topic '{topic}': {LibrdkafkaNative.ErrorText(error)}.");
    }

    /// <summary>Stops the brokers (closing their listeners) and releases the librdkafka handle.</summary>
    public void Dispose()
    {
        // Under the lock, so no topic call is inside the mock while it is destroyed.
        lock (_gate)
        {
            if (_cluster != 0)
            {
                // Joins the mock's thread, which closes every listener and connection.
                LibrdkafkaNative.Api.MockClusterDestroy(_cluster);
                _cluster = 0;
            }

            if (_kafka != 0)
            {
                LibrdkafkaNative.Api.KafkaDestroy(_kafka);
                _kafka = 0;
            }
        }
    }

    /// <summary>Formats the cluster for messages.</summary>
    /// <returns>The kind and the bootstrap servers.</returns>
    public override string ToString() => $"librdkafka mock cluster at {BootstrapServers}";

    private static void Set(LibrdkafkaNative.Functions api, nint conf, string name, string value, nint error)
    {
        if (api.ConfSet(conf, name, value, error, 512) != 0)
        {
            api.ConfDestroy(conf);
            throw new InvalidOperationException($"librdkafka refused {name}={value}: {Marshal.PtrToStringUTF8(error)}");
        }
    }

    // Called under _gate.
    private nint Handle()
    {
        ObjectDisposedException.ThrowIf(_cluster == 0, this);
        return _cluster;
    }

    private void OnLog(nint kafka, int level, nint facility, nint message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{level} {Marshal.PtrToStringUTF8(facility)}: {Marshal.PtrToStringUTF8(message)}");
        lock (_logGate)
        {
            _log.Enqueue(line);
            while (_log.Count > MaxLogLines)
            {
                _log.Dequeue();
            }
        }
    }
}
