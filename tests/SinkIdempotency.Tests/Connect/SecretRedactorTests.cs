using SinkIdempotency.Connect;

namespace SinkIdempotency.Tests.Connect;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("connection.password", true)]
    [InlineData("ssl.key.password", true)]
    [InlineData("aws.secret.access.key", true)]
    [InlineData("sasl.jaas.config", true)]
    [InlineData("basic.auth.user.info", true)]
    [InlineData("api.key", true)]
    [InlineData("http.auth.token", true)]
    [InlineData("key.converter", false)]
    [InlineData("key.ignore", false)]
    [InlineData("topics", false)]
    [InlineData("connection.url", false)]
    [InlineData("pk.mode", false)]
    public void IsSecretKey_Key_ClassifiesSecrets(string key, bool secret) =>
        SecretRedactor.IsSecretKey(key).Should().Be(secret);

    [Fact]
    public void RedactConfig_MixedConfig_HidesSecretValuesAndPasswordsInsideValues()
    {
        var config = new Dictionary<string, string>
        {
            ["connection.password"] = "hunter2",
            ["connection.url"] = "jdbc:postgresql://db:5432/app?user=app&password=hunter2",
            ["target"] = "Host=127.0.0.1;Port=5432;Username=app;Password=hunter2;Database=x",
            ["http.url"] = "https://app:hunter2@example.test/hook",
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        };

        var redacted = SecretRedactor.RedactConfig(config);

        redacted["connection.password"].Should().Be("[redacted]");
        redacted["connection.url"].Should().Be("jdbc:postgresql://db:5432/app?user=app&password=[redacted]");
        redacted["target"].Should().Be("Host=127.0.0.1;Port=5432;Username=app;Password=[redacted];Database=x");
        redacted["http.url"].Should().Be("https://app:[redacted]@example.test/hook");
        redacted["key.converter"].Should().Be("org.apache.kafka.connect.storage.StringConverter");
        redacted.Values.Should().NotContain(v => v.Contains("hunter2"));
    }
}
