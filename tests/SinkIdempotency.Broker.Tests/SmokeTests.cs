using Confluent.Kafka;

namespace SinkIdempotency.Broker.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Produce_AndConsume_RoundTrips()
    {
        await using var broker = new KafkaBroker();
        await broker.StartAsync(TestContext.Current.CancellationToken);
        var config = new ProducerConfig { BootstrapServers = broker.BootstrapServers, Debug = "protocol,broker,msg,topic", LingerMs = 5 };
        using (var producer = new ProducerBuilder<string, string>(config).SetLogHandler((_, m) => TestContext.Current.SendDiagnosticMessage(m.Message)).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                var r = await producer.ProduceAsync("smoke", new Message<string, string> { Key = "k" + i, Value = "v" + i }, TestContext.Current.CancellationToken);
                r.Offset.Value.Should().Be(i);
            }
        }

        broker.GetEndOffset("smoke", 0).Should().Be(10);
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "g", EnableAutoCommit = false, Debug = "protocol,broker,fetch" })
            .SetLogHandler((_, m) => Console.WriteLine(m.Message)).Build();
        consumer.Assign(new TopicPartitionOffset("smoke", 0, 0));
        var got = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (got.Count < 10 && DateTime.UtcNow < deadline)
        {
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (cr?.Message is not null)
            {
                got.Add(cr.Message.Value);
            }
        }

        got.Should().Equal(Enumerable.Range(0, 10).Select(i => "v" + i));
    }
}
