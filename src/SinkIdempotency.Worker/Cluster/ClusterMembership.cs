using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Worker.Hosting;

namespace SinkIdempotency.Worker.Cluster;

/// <summary>
/// Keeps this worker in the cluster's group (<c>group.id</c> = the cluster id) on the assignment topic; each assigned partition
/// is a task slot this worker runs. The round-robin assignor spreads slots evenly, and the protocol is eager: on every rebalance
/// all slots are revoked (tasks stop and commit) before the new assignment (as Connect's <c>connect.protocol=eager</c>).
/// A worker that dies loses its slots after the session timeout.
/// </summary>
internal sealed class ClusterMembership : IDisposable
{
    private readonly WorkerOptions _options;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<IReadOnlyCollection<int>> _onAssigned;
    private readonly Action<IReadOnlyCollection<int>> _onRevoked;
    private Thread? _thread;
    private IConsumer<Ignore, Ignore>? _prepared;

    public ClusterMembership(WorkerOptions options, string workerId, ILogger log, Action<IReadOnlyCollection<int>> onAssigned, Action<IReadOnlyCollection<int>> onRevoked)
    {
        _options = options;
        _log = log;
        _onAssigned = onAssigned;
        _onRevoked = onRevoked;
        ClientId = $"connect-worker-{options.GroupId}-{workerId}";
    }

    public string ClientId { get; }

    /// <summary>Builds the membership's consumer without joining, so a standby worker joins without paying for it.</summary>
    public void Prepare() => _prepared ??= Build();

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "cluster-membership" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(15));
        if (_thread is null)
        {
            _prepared?.Dispose();
        }

        _stop.Dispose();
    }

    private void Run()
    {
        try
        {
            using var consumer = _prepared ?? Build();
            consumer.Subscribe(_options.AssignmentTopic);
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException e)
                {
                    _log.LogDebug(e, "Membership poll failed");
                }
            }

            consumer.Close();
        }
        catch (Exception e)
        {
            _log.LogError(e, "The worker's cluster membership failed");
        }
    }

    private IConsumer<Ignore, Ignore> Build()
    {
        var config = ClientConfigs.With(new ConsumerConfig(), _options.ClientProperties);
        config.BootstrapServers = _options.BootstrapServers;
        config.GroupId = _options.GroupId;
        config.ClientId = ClientId;
        config.EnableAutoCommit = false;
        config.GroupProtocol = GroupProtocol.Classic;
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.RoundRobin;
        config.SessionTimeoutMs = _options.ClusterSessionTimeoutMs;
        config.HeartbeatIntervalMs = _options.ClusterHeartbeatIntervalMs ?? Math.Max(100, _options.ClusterSessionTimeoutMs / 3);
        config.MaxPollIntervalMs = Math.Max(300_000, _options.ClusterSessionTimeoutMs + 1);
        return new ConsumerBuilder<Ignore, Ignore>(config)
            .SetLogHandler((_, m) => _log.LogDebug("librdkafka {Facility}: {Message}", m.Facility, m.Message))
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                var slots = partitions.Select(p => p.Partition.Value).ToList();
                _log.LogInformation("Joined the cluster's group with {Count} task slots", slots.Count);
                _onAssigned(slots);
            })
            .SetPartitionsRevokedHandler((_, partitions) => _onRevoked(partitions.Select(p => p.Partition.Value).ToList()))
            .SetPartitionsLostHandler((_, partitions) => _onRevoked(partitions.Select(p => p.Partition.Value).ToList()))
            .Build();
    }
}
