using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Confluent.Kafka;
using SinkIdempotency.Broker.Protocol;
using BrokerApiKey = SinkIdempotency.Broker.Protocol.ApiKey;

namespace SinkIdempotency.Broker.Benchmarks;

/// <summary>
/// Consumer-group figures: rebalance latency of three Confluent.Kafka members (first JoinGroup seen by the
/// broker until every member has its assignment) and offset-commit throughput (synchronous client commits,
/// and pipelined commits on one raw connection, which is the coordinator's own ceiling).
/// </summary>
internal static class GroupBenchmarks
{
    public static async Task RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var commits = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        // Initial delay 0 is the figure asked for; 100 ms shows what a short delay buys (all three
        // members land in one generation instead of the first one rebalancing after its next heartbeat).
        foreach (var (delayMs, heartbeat) in new[] { (0, 3000), (0, 250), (100, 3000) })
        {
            var samples = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                samples.Add(await RebalanceLatencyAsync(TimeSpan.FromMilliseconds(delayMs), heartbeat));
            }

            samples.Sort();
            Console.WriteLine($"rebalance, 3 members starting together, initial delay {delayMs} ms, heartbeat.interval.ms={heartbeat}: median {samples[samples.Count / 2]:F1} ms, min {samples[0]:F1} ms, max {samples[^1]:F1} ms ({runs} runs)");
        }

        for (var run = 0; run < 3; run++)
        {
            await ClientCommitThroughputAsync(Math.Min(commits, 5_000));
        }

        for (var run = 0; run < 3; run++)
        {
            await PipelinedCommitThroughputAsync(commits);
        }
    }

    private static async Task<double> RebalanceLatencyAsync(TimeSpan initialDelay, int heartbeatMs)
    {
        await using var broker = new KafkaBroker(new KafkaBrokerOptions { InitialRebalanceDelay = initialDelay });
        await broker.StartAsync();
        broker.CreateTopic("rebalance", 6);
        long firstJoin = 0;
        using var observer = broker.ObserveRequests(e =>
        {
            if (e.Request.ApiKey == BrokerApiKey.JoinGroup)
            {
                Interlocked.CompareExchange(ref firstJoin, Stopwatch.GetTimestamp(), 0);
            }
        });
        var assignedAt = new long[3];
        var counts = new int[3];
        var consumers = new IConsumer<Null, Null>[3];
        var threads = new Thread[3];
        using var stop = new CancellationTokenSource();
        for (var i = 0; i < 3; i++)
        {
            var index = i;
            consumers[i] = new ConsumerBuilder<Null, Null>(new ConsumerConfig
            {
                BootstrapServers = broker.BootstrapServers,
                GroupId = "rebalance-group",
                ClientId = "member-" + i,
                GroupProtocol = GroupProtocol.Classic,
                HeartbeatIntervalMs = heartbeatMs,
                SessionTimeoutMs = 10_000,
            })
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                Volatile.Write(ref counts[index], partitions.Count);
                Volatile.Write(ref assignedAt[index], Stopwatch.GetTimestamp());
            })
            .Build();
            threads[i] = new Thread(() =>
            {
                consumers[index].Subscribe("rebalance");
                while (!stop.IsCancellationRequested)
                {
                    consumers[index].Consume(TimeSpan.FromMilliseconds(20));
                }

                consumers[index].Close();
            });
        }

        foreach (var thread in threads)
        {
            thread.Start();
        }

        var deadline = Stopwatch.StartNew();
        while (!Enumerable.Range(0, 3).All(i => Volatile.Read(ref counts[i]) == 2))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("three members did not get two partitions each within 60 s");
            }

            await Task.Delay(5);
        }

        var done = assignedAt.Max();
        await stop.CancelAsync();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        foreach (var consumer in consumers)
        {
            consumer.Dispose();
        }

        return Stopwatch.GetElapsedTime(Interlocked.Read(ref firstJoin), done).TotalMilliseconds;
    }

    private static async Task ClientCommitThroughputAsync(int commits)
    {
        await using var broker = new KafkaBroker();
        await broker.StartAsync();
        broker.CreateTopic("commits", 1);
        using var consumer = new ConsumerBuilder<Null, Null>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "commit-group",
            GroupProtocol = GroupProtocol.Classic,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe("commits");
        while (consumer.Assignment.Count == 0)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(50));
        }

        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= commits; i++)
        {
            consumer.Commit([new TopicPartitionOffset("commits", 0, i)]);
        }

        var elapsed = clock.Elapsed;
        var stored = broker.GetCommittedOffset("commit-group", "commits", 0)!.Offset;
        consumer.Close();
        Console.WriteLine($"offset commits, Confluent.Kafka Commit() one at a time: {commits / elapsed.TotalSeconds:N0} commits/s ({commits} commits in {elapsed.TotalMilliseconds:F0} ms, last stored {stored})");
    }

    private static async Task PipelinedCommitThroughputAsync(int commits)
    {
        await using var broker = new KafkaBroker();
        await broker.StartAsync();
        broker.CreateTopic("commits", 1);
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", broker.Port);
        var stream = client.GetStream();
        var clock = Stopwatch.StartNew();
        var reader = Task.Run(async () =>
        {
            var header = new byte[4];
            var body = new byte[256];
            for (var i = 0; i < commits; i++)
            {
                await stream.ReadExactlyAsync(header);
                var size = BinaryPrimitives.ReadInt32BigEndian(header);
                await stream.ReadExactlyAsync(body.AsMemory(0, size));
                if (BinaryPrimitives.ReadInt16BigEndian(body.AsSpan(size - 2)) != 0)
                {
                    throw new InvalidOperationException("a commit failed");
                }
            }
        });
        var writer = new KafkaWriter();
        for (var i = 1; i <= commits; i++)
        {
            writer.Reset();
            writer.BeginFrame();
            writer.WriteInt16((short)BrokerApiKey.OffsetCommit);
            writer.WriteInt16((short)7);
            writer.WriteInt32(i);
            writer.WriteNullableString("bench");
            writer.WriteString("admin-group");
            writer.WriteInt32(-1);
            writer.WriteString(string.Empty);
            writer.WriteNullableString(null);
            writer.WriteArrayLength(1);
            writer.WriteString("commits");
            writer.WriteArrayLength(1);
            writer.WriteInt32(0);
            writer.WriteInt64(i);
            writer.WriteInt32(-1);
            writer.WriteNullableString(null);
            writer.CompleteFrame();
            await stream.WriteAsync(writer.WrittenMemory);
        }

        await reader;
        var elapsed = clock.Elapsed;
        Console.WriteLine($"offset commits, one raw connection, pipelined (generation -1 admin commits): {commits / elapsed.TotalSeconds:N0} commits/s ({commits} in {elapsed.TotalMilliseconds:F0} ms, last stored {broker.GetCommittedOffset("admin-group", "commits", 0)!.Offset})");
    }
}
