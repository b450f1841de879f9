using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Confluent.Kafka;
using SinkIdempotency.Broker;

// Timing console app for the embedded broker (targets on a 2-core machine: produce >= 200k msg/s,
// consume >= 300k msg/s, start <= 50 ms). Usage:
//   dotnet run -c Release --project bench/SinkIdempotency.Broker.Benchmarks -- [messages=1000000] [runs=3]
//   dotnet run -c Release --project bench/SinkIdempotency.Broker.Benchmarks -- groups [runs=5] [commits=20000]
//     (consumer-group figures: rebalance latency of 3 members, offset-commit throughput; GroupBenchmarks.cs)
// With SINK_BENCH_BOOTSTRAP=127.0.0.1:PORT the clients use an external broker (e.g. `sink-idempotency broker`)
// and, with SINK_BENCH_BROKER_PID, the broker process's CPU time per phase is reported: a figure that
// other load on the machine does not distort.
if (args.Length > 0 && args[0] == "groups")
{
    await SinkIdempotency.Broker.Benchmarks.GroupBenchmarks.RunAsync(args[1..]);
    return;
}

var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var external = Environment.GetEnvironmentVariable("SINK_BENCH_BOOTSTRAP");
var brokerPid = Environment.GetEnvironmentVariable("SINK_BENCH_BROKER_PID");
const int ValueSize = 100;

if (external is null)
{
    await MeasureStartAsync();
}
for (var run = 1; run <= runs; run++)
{
    await MeasureThroughputAsync(run);
}

async Task MeasureStartAsync()
{
    // Warm the benchmark's own client path (TcpClient, NetworkStream) on a plain listener first, so the
    // cold figure is the broker's start-up, not the measuring client's JIT.
    await WarmClientAsync();
    var samples = new List<double>();
    for (var i = 0; i < 21; i++)
    {
        var clock = Stopwatch.StartNew();
        await using var broker = new KafkaBroker();
        var created = clock.Elapsed.TotalMilliseconds;
        await broker.StartAsync();
        var started = clock.Elapsed.TotalMilliseconds;
        await AnswerApiVersionsAsync(broker.Port);
        var ready = clock.Elapsed.TotalMilliseconds;
        if (i == 0)
        {
            Console.WriteLine($"start (cold, first in process): constructed {created:F1} ms, StartAsync returned {started:F1} ms, first ApiVersions answered {ready:F1} ms");
        }
        else
        {
            samples.Add(ready);
        }
    }

    samples.Sort();
    Console.WriteLine($"start (warm, 20 runs, until first ApiVersions answered): median {samples[samples.Count / 2]:F2} ms, max {samples[^1]:F2} ms");
}

async Task MeasureThroughputAsync(int run)
{
    KafkaBroker? broker = null;
    var topic = "bench-" + run + "-" + Guid.NewGuid().ToString("N")[..8];
    string bootstrap;
    if (external is null)
    {
        broker = new KafkaBroker();
        await broker.StartAsync();
        broker.CreateTopic(topic, 1);
        bootstrap = broker.BootstrapServers;
    }
    else
    {
        bootstrap = external;
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }]);
    }

    try
    {
        var value = new byte[ValueSize];
        Random.Shared.NextBytes(value);
        var producerConfig = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            LingerMs = 5,
            Acks = Acks.All,
            QueueBufferingMaxMessages = 2_000_000,
            QueueBufferingMaxKbytes = 2_000_000,
        };
        var cpuBefore = BrokerCpuSeconds();
        var clock = Stopwatch.StartNew();
        using (var producer = new ProducerBuilder<Null, byte[]>(producerConfig).Build())
        {
            var message = new Message<Null, byte[]> { Value = value };
            for (var i = 0; i < messages; i++)
            {
                while (true)
                {
                    try
                    {
                        producer.Produce(topic, message);
                        break;
                    }
                    catch (ProduceException<Null, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(1));
                    }
                }
            }

            if (producer.Flush(TimeSpan.FromMinutes(2)) != 0)
            {
                throw new InvalidOperationException("producer did not flush");
            }
        }

        var produceSeconds = clock.Elapsed.TotalSeconds;
        var produceCpu = BrokerCpuSeconds() - cpuBefore;
        if (broker is not null && broker.GetEndOffset(topic, 0) != messages)
        {
            throw new InvalidOperationException($"expected {messages} records, broker has {broker.GetEndOffset(topic, 0)}");
        }

        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
        };
        cpuBefore = BrokerCpuSeconds();
        clock.Restart();
        long bytes = 0;
        using (var consumer = new ConsumerBuilder<Ignore, byte[]>(consumerConfig).Build())
        {
            consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
            var received = 0;
            while (received < messages)
            {
                var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException($"consumer stalled after {received} messages");
                bytes += result.Message.Value.Length;
                received++;
            }
        }

        var consumeSeconds = clock.Elapsed.TotalSeconds;
        var consumeCpu = BrokerCpuSeconds() - cpuBefore;
        var megabytes = messages * (double)ValueSize / 1_000_000;
        var cpu = brokerPid is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", broker CPU: produce {produceCpu:F2} s, consume {consumeCpu:F2} s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run}: produce {messages / produceSeconds:N0} msg/s ({megabytes / produceSeconds:F1} MB/s values), consume {messages / consumeSeconds:N0} msg/s ({bytes / 1_000_000.0 / consumeSeconds:F1} MB/s values), {messages:N0} x {ValueSize} B{cpu}"));
    }
    finally
    {
        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }
}

double BrokerCpuSeconds()
{
    if (brokerPid is null)
    {
        return 0;
    }

    // /proc/PID/stat fields 14 and 15 (utime, stime) in clock ticks (100 per second on Linux).
    var stat = File.ReadAllText($"/proc/{brokerPid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

static async Task WarmClientAsync()
{
    using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    var serve = Task.Run(async () =>
    {
        using var server = await listener.AcceptTcpClientAsync();
        var stream = server.GetStream();
        var request = new byte[18];
        await stream.ReadExactlyAsync(request);
        await stream.WriteAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 1 });
    });
    await AnswerApiVersionsAsync(port);
    await serve;
}

static async Task AnswerApiVersionsAsync(int port)
{
    using var client = new TcpClient();
    await client.ConnectAsync("127.0.0.1", port);
    var stream = client.GetStream();
    byte[] request = [0, 0, 0, 14, 0, 18, 0, 0, 0, 0, 0, 1, 0, 4, (byte)'b', (byte)'e', (byte)'n', (byte)'c'];
    await stream.WriteAsync(request);
    var size = new byte[4];
    await stream.ReadExactlyAsync(size);
    var body = new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(size)];
    await stream.ReadExactlyAsync(body);
}
