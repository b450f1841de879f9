using SinkIdempotency.Evidence;

namespace SinkIdempotency.Tests.Evidence;

public sealed class SecretRedactionTests
{
    [Fact]
    public void Redact_SecretKeysAndEmbeddedPasswords_AreReplaced()
    {
        var config = new Dictionary<string, string>
        {
            ["connection.password"] = "hunter2",
            ["consumer.override.sasl.jaas.config"] = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
            ["connection.url"] = "jdbc:postgresql://db:5432/app?user=app&password=s3cret",
            ["target"] = "Host=db;Username=app;Password=s3cret;Database=app",
            ["http.url"] = "https://user:pa55@example.com/hook",
            ["key.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        };

        var redacted = SecretRedaction.Redact(config);

        redacted["connection.password"].Should().Be("[redacted]");
        redacted["consumer.override.sasl.jaas.config"].Should().Be("[redacted]");
        redacted["connection.url"].Should().Be("jdbc:postgresql://db:5432/app?user=app&password=[redacted]");
        redacted["target"].Should().Be("Host=db;Username=app;Password=[redacted];Database=app");
        redacted["http.url"].Should().Be("https://user:[redacted]@example.com/hook");
        redacted["key.converter"].Should().Be("org.apache.kafka.connect.json.JsonConverter");
    }
}
