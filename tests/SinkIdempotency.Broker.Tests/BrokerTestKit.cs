using System.Diagnostics;
using Confluent.Kafka;

namespace SinkIdempotency.Broker.Tests;

/// <summary>Client configs and condition-polling helpers shared by the integration tests.</summary>
internal static class BrokerTestKit
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<KafkaBroker> StartBrokerAsync(KafkaBrokerOptions? options = null)
    {
        var broker = new KafkaBroker(options);
        await broker.StartAsync(TestContext.Current.CancellationToken);
        return broker;
    }

    public static ProducerConfig Producer(KafkaBroker broker, Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            LingerMs = 5,
            MessageTimeoutMs = 30_000,
            SocketTimeoutMs = 30_000,
        };
        configure?.Invoke(config);
        return config;
    }

    public static ConsumerConfig Consumer(KafkaBroker broker, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "assign-only-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 100,
            EnablePartitionEof = false,
        };
        configure?.Invoke(config);
        return config;
    }

    /// <summary>Consumes until <paramref name="count"/> messages arrived or the deadline passed.</summary>
    public static List<ConsumeResult<TKey, TValue>> ConsumeExactly<TKey, TValue>(IConsumer<TKey, TValue> consumer, int count, TimeSpan? deadline = null)
    {
        var results = new List<ConsumeResult<TKey, TValue>>(count);
        var clock = Stopwatch.StartNew();
        var limit = deadline ?? Deadline;
        while (results.Count < count && clock.Elapsed < limit)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is { IsPartitionEOF: false, Message: not null })
            {
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? deadline = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = deadline ?? Deadline;
        while (clock.Elapsed < limit)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return condition();
    }

    public static string UniqueTopic(string prefix = "t") => prefix + "-" + Guid.NewGuid().ToString("N")[..12];
}
