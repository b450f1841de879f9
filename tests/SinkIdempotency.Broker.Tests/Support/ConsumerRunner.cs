using System.Collections.Concurrent;
using Confluent.Kafka;

namespace SinkIdempotency.Broker.Tests.Support;

/// <summary>
/// Runs one Confluent.Kafka consumer on a dedicated thread (Consume blocks), recording its rebalance
/// callbacks in order and the records it consumed.
/// </summary>
internal sealed class ConsumerRunner : IDisposable
{
    private readonly Thread _thread;
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentQueue<ConsumeResult<string, string>> _consumed = new();
    private readonly HashSet<TopicPartition> _assignment = [];
    private readonly Lock _sync = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _commitEach;
    private volatile int _stopMode;

    public ConsumerRunner(ConsumerConfig config, string topic, bool commitEach = false)
    {
        Config = config;
        _commitEach = commitEach;
        var cooperative = config.PartitionAssignmentStrategy == PartitionAssignmentStrategy.CooperativeSticky;
        Consumer = new ConsumerBuilder<string, string>(config)
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                _events.Enqueue("assigned:" + Format(partitions));
                lock (_sync)
                {
                    if (!cooperative)
                    {
                        _assignment.Clear();
                    }

                    _assignment.UnionWith(partitions);
                }
            })
            .SetPartitionsRevokedHandler((_, partitions) =>
            {
                _events.Enqueue("revoked:" + Format(partitions.Select(p => p.TopicPartition)));
                lock (_sync)
                {
                    _assignment.ExceptWith(partitions.Select(p => p.TopicPartition));
                }
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                _events.Enqueue("lost:" + Format(partitions.Select(p => p.TopicPartition)));
                lock (_sync)
                {
                    _assignment.ExceptWith(partitions.Select(p => p.TopicPartition));
                }
            })
            .Build();
        _thread = new Thread(() => Run(topic)) { IsBackground = true, Name = "consumer " + config.ClientId };
        _thread.Start();
    }

    public ConsumerConfig Config { get; }

    public IConsumer<string, string> Consumer { get; }

    public IReadOnlyList<string> Events => [.. _events];

    public IReadOnlyList<ConsumeResult<string, string>> Consumed => [.. _consumed];

    public Exception? Failure { get; private set; }

    public IReadOnlySet<TopicPartition> Assignment
    {
        get
        {
            lock (_sync)
            {
                return _assignment.ToHashSet();
            }
        }
    }

    public static string Format(IEnumerable<TopicPartition> partitions) =>
        string.Join(",", partitions.Select(p => p.Partition.Value).Order());

    /// <summary>Leaves the group cleanly (Close sends LeaveGroup) and waits for the thread to end.</summary>
    public Task CloseAsync() => StopAsync(1);

    /// <summary>Stops without Close and disposes: the consumer vanishes without leaving the group.</summary>
    public Task AbandonAsync() => StopAsync(2);

    public void Dispose()
    {
        if (_stopMode == 0)
        {
            _stopMode = 1;
        }

        _thread.Join(TimeSpan.FromSeconds(30));
    }

    private async Task StopAsync(int mode)
    {
        _stopMode = mode;
        await _finished.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private void Run(string topic)
    {
        try
        {
            Consumer.Subscribe(topic);
            while (_stopMode == 0)
            {
                var result = Consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null || result.IsPartitionEOF)
                {
                    continue;
                }

                _consumed.Enqueue(result);
                if (_commitEach)
                {
                    Consumer.Commit(result);
                }
            }

            if (_stopMode == 1)
            {
                Consumer.Close();
            }
        }
        catch (Exception ex)
        {
            Failure = ex;
        }
        finally
        {
            Consumer.Dispose();
            _finished.TrySetResult();
        }
    }
}
