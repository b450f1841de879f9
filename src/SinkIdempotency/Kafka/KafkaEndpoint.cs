using Confluent.Kafka;
using SinkIdempotency.Connect;

namespace SinkIdempotency.Kafka;

/// <summary>Describes how to reach a Kafka cluster: bootstrap servers plus client settings passed through unchanged (SASL, TLS…).</summary>
/// <param name="BootstrapServers">Gets the bootstrap servers, <c>host:port[,host:port…]</c>.</param>
/// <param name="ClientSettings">Gets librdkafka settings added to every client the harness creates (e.g. <c>security.protocol</c>, <c>sasl.mechanism</c>).</param>
public sealed record KafkaEndpoint(string BootstrapServers, IReadOnlyDictionary<string, string> ClientSettings)
{
    /// <summary>Initializes a new instance of the <see cref="KafkaEndpoint"/> class with no extra client settings.</summary>
    /// <param name="bootstrapServers">The bootstrap servers.</param>
    public KafkaEndpoint(string bootstrapServers)
        : this(bootstrapServers, new Dictionary<string, string>(StringComparer.Ordinal))
    {
    }

    /// <summary>Formats the endpoint with secret client settings redacted, safe for reports.</summary>
    /// <returns>The bootstrap servers and the redacted settings.</returns>
    public override string ToString() =>
        ClientSettings.Count == 0
            ? BootstrapServers
            : $"{BootstrapServers} ({string.Join(", ", SecretRedactor.RedactConfig(ClientSettings).Select(kv => $"{kv.Key}={kv.Value}"))})";

    internal T Configure<T>(T config, string clientId)
        where T : ClientConfig
    {
        foreach (var (key, value) in ClientSettings)
        {
            config.Set(key, value);
        }

        config.BootstrapServers = BootstrapServers;
        config.ClientId = clientId;
        return config;
    }
}
