using Confluent.Kafka;
using SinkIdempotency.Worker.Hosting;

namespace SinkIdempotency.Worker.Cluster;

/// <summary>Builds client configurations: worker client properties first, then the forced settings of each client.</summary>
internal static class ClientConfigs
{
    public static T With<T>(T config, IReadOnlyDictionary<string, string> properties)
        where T : ClientConfig
    {
        foreach (var (key, value) in properties)
        {
            config.Set(key, value);
        }

        return config;
    }

    public static ProducerConfig Producer(WorkerOptions options, string clientId)
    {
        var config = With(new ProducerConfig(), options.ClientProperties);
        config.BootstrapServers = options.BootstrapServers;
        config.ClientId = clientId;
        config.Acks = Acks.All;
        config.LingerMs = 0;
        return config;
    }

    public static AdminClientConfig Admin(WorkerOptions options, string clientId)
    {
        var config = With(new AdminClientConfig(), options.ClientProperties);
        config.BootstrapServers = options.BootstrapServers;
        config.ClientId = clientId;
        return config;
    }

    public static ConsumerConfig Reader(WorkerOptions options, string clientId)
    {
        var config = With(new ConsumerConfig(), options.ClientProperties);
        config.BootstrapServers = options.BootstrapServers;
        config.ClientId = clientId;
        config.GroupId = clientId;
        config.EnableAutoCommit = false;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnablePartitionEof = true;
        config.FetchWaitMaxMs = 100;
        return config;
    }
}
