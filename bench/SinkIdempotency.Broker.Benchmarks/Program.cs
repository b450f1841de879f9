using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Confluent.Kafka;
using SinkIdempotency.Broker;

// Timing console app for the embedded broker (targets on a 2-core machine: produce >= 200k msg/s,
// consume >= 300k msg/s, start <= 50 ms). Usage:
//   dotnet run -c Release --project bench/SinkIdempotency.Broker.Benchmarks -- [messages=1000000] [runs=3]
var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
const int ValueSize = 100;

await MeasureStartAsync();
for (var run = 1; run <= runs; run++)
{
    await MeasureThroughputAsync(run);
}

async Task MeasureStartAsync()
{
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
    await using var broker = new KafkaBroker();
    await broker.StartAsync();
    const string Topic = "bench";
    broker.CreateTopic(Topic, 1);
    var value = new byte[ValueSize];
    Random.Shared.NextBytes(value);

    var producerConfig = new ProducerConfig
    {
        BootstrapServers = broker.BootstrapServers,
        LingerMs = 5,
        Acks = Acks.All,
        QueueBufferingMaxMessages = 2_000_000,
        QueueBufferingMaxKbytes = 2_000_000,
    };
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
                    producer.Produce(Topic, message);
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
    var stored = broker.GetEndOffset(Topic, 0);
    if (stored != messages)
    {
        throw new InvalidOperationException($"expected {messages} records, broker has {stored}");
    }

    var consumerConfig = new ConsumerConfig
    {
        BootstrapServers = broker.BootstrapServers,
        GroupId = "bench",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
    };
    clock.Restart();
    long bytes = 0;
    using (var consumer = new ConsumerBuilder<Ignore, byte[]>(consumerConfig).Build())
    {
        consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
        var received = 0;
        while (received < messages)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException($"consumer stalled after {received} messages");
            bytes += result.Message.Value.Length;
            received++;
        }
    }

    var consumeSeconds = clock.Elapsed.TotalSeconds;
    var megabytes = messages * (double)ValueSize / 1_000_000;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run}: produce {messages / produceSeconds:N0} msg/s ({megabytes / produceSeconds:F1} MB/s values), consume {messages / consumeSeconds:N0} msg/s ({bytes / 1_000_000.0 / consumeSeconds:F1} MB/s values), {messages:N0} x {ValueSize} B, stored {broker.GetTopic(Topic)!.Partitions[0].SizeInBytes / 1_000_000.0:F1} MB in {broker.GetTopic(Topic)!.Partitions[0].BatchCount} batches"));
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
