using Npgsql;
using SinkIdempotency.Connect;

namespace SinkIdempotency.Tests.Connect;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("connection.password", true)]
    [InlineData("ssl.key.password", true)]
    [InlineData("ssl.keystore.password", true)]
    [InlineData("ssl.truststore.password", true)]
    [InlineData("aws.secret.access.key", true)]
    [InlineData("aws.access.key.id", true)]
    [InlineData("sasl.jaas.config", true)]
    [InlineData("consumer.override.sasl.jaas.config", true)]
    [InlineData("basic.auth.user.info", true)]
    [InlineData("value.converter.basic.auth.user.info", true)]
    [InlineData("api.key", true)]
    [InlineData("http.auth.token", true)]
    [InlineData("sasl.oauthbearer.client.credentials.client.secret", true)]
    [InlineData("clientSecret", true)]
    [InlineData("accessToken", true)]
    [InlineData("Pwd", true)]
    [InlineData("Password", true)]
    [InlineData("KAFKA_S3_ACCESS_KEY", true)]
    [InlineData("MINIO_ROOT_PASSWORD", true)]
    [InlineData("connectionpassword", true)]
    [InlineData("X-Api-Key", true)]
    [InlineData("key.converter", false)]
    [InlineData("key.ignore", false)]
    [InlineData("key", false)]
    [InlineData("topics", false)]
    [InlineData("connection.url", false)]
    [InlineData("connection.user", false)]
    [InlineData("pk.mode", false)]
    [InlineData("value.converter.schemas.enable", false)]
    [InlineData("Username", false)]
    [InlineData("Host", false)]
    public void IsSecretKey_Key_ClassifiesSecrets(string key, bool secret) =>
        SecretRedactor.IsSecretKey(key).Should().Be(secret);

    [Fact]
    public void RedactConfig_MixedConfig_HidesSecretValuesAndSecretsInsideValuesAndSortsKeys()
    {
        var config = new Dictionary<string, string>
        {
            ["value.converter.basic.auth.user.info"] = "registry-user:registry-pw",
            ["connection.password"] = "hunter2",
            ["connection.url"] = "jdbc:postgresql://db:5432/app?user=app&password=hunter2",
            ["consumer.override.sasl.jaas.config"] = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
            ["target"] = "Host=127.0.0.1;Port=5432;Username=app;Password=hunter2;Database=x",
            ["http.url"] = "https://app:hunter2@example.test/hook",
            ["http.headers"] = "Authorization: Bearer abc.def|Content-Type: application/json",
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        };

        var redacted = SecretRedactor.RedactConfig(config);

        redacted.Keys.Should().BeInAscendingOrder(StringComparer.Ordinal);
        redacted["value.converter.basic.auth.user.info"].Should().Be("[redacted]");
        redacted["connection.password"].Should().Be("[redacted]");
        redacted["consumer.override.sasl.jaas.config"].Should().Be("[redacted]");
        redacted["connection.url"].Should().Be("jdbc:postgresql://db:5432/app?user=app&password=[redacted]");
        redacted["target"].Should().Be("Host=127.0.0.1;Port=5432;Username=app;Password=[redacted];Database=x");
        redacted["http.url"].Should().Be("https://app:[redacted]@example.test/hook");
        redacted["http.headers"].Should().Be("Authorization: Bearer [redacted]|Content-Type: application/json");
        redacted["key.converter"].Should().Be("org.apache.kafka.connect.storage.StringConverter");
    }

    [Theory]
    [InlineData("x")]
    [InlineData("e")]
    [InlineData("connect")]
    [InlineData("the")]
    public void RedactText_PasswordThatIsAlsoAWord_ReplacesOnlyThePairsValue(string password)
    {
        var message = $"The external environment could not start: Failed to connect to Host=db;Username=app;Password={password};Database=sinks. Check the password.";

        SecretRedactor.RedactText(message).Should().Be(
            "The external environment could not start: Failed to connect to Host=db;Username=app;Password=[redacted];Database=sinks. Check the password.");
    }

    [Theory]
    [InlineData("sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" password=\"p w;d\";",
        "sasl.jaas.config=[redacted] required username=\"svc\" password=\"[redacted]\";")]
    [InlineData("ssl.keystore.password = changeit, ssl.keystore.type = JKS", "ssl.keystore.password = [redacted], ssl.keystore.type = JKS")]
    [InlineData("redis://:s3cret@cache:6379/0 and https://u:p@ss@host/x", "redis://:[redacted]@cache:6379/0 and https://u:[redacted]@host/x")]
    [InlineData("GET / failed: Authorization: Basic dXNlcjpwdw== was rejected", "GET / failed: Authorization: Basic [redacted] was rejected")]
    [InlineData("X-Api-Key: k-123 Content-Type: text/plain", "X-Api-Key: [redacted] Content-Type: text/plain")]
    [InlineData("{\"connection.password\": \"a \\\" b\", \"topics\": \"orders\"}", "{\"connection.password\": \"[redacted]\", \"topics\": \"orders\"}")]
    [InlineData("jdbc:postgresql://db/app?user=app&password=pw&ssl=true", "jdbc:postgresql://db/app?user=app&password=[redacted]&ssl=true")]
    [InlineData("logged: {\"message\":\"password=\\\"pw\\\" rejected\"}", "logged: {\"message\":\"password=\\\"[redacted]\\\" rejected\"}")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY----- done", "[redacted] done")]
    [InlineData("record key=order-1 topic=orders offset=5 http://connect:8083/connectors", "record key=order-1 topic=orders offset=5 http://connect:8083/connectors")]
    public void RedactText_SecretShapes_AreHiddenAndEverythingElseKept(string text, string expected) =>
        SecretRedactor.RedactText(text).Should().Be(expected);

    [Fact]
    public void RedactText_AppliedTwice_EqualsAppliedOnce()
    {
        const string text = "Password=pw; sasl.password=\"q\" https://u:v@h/ Authorization: Bearer t {\"api.key\":\"k\"} basic.auth.user.info='a''b'";

        var once = SecretRedactor.RedactText(text);

        SecretRedactor.RedactText(once).Should().Be(once);
        once.Should().NotContain("pw").And.NotContain("\"q\"").And.NotContain(":v@").And.NotContain("Bearer t").And.NotContain("\"k\"");
    }

    [Theory]
    [InlineData("pass word")]
    [InlineData("a;b")]
    [InlineData("it's \"quoted\"")]
    [InlineData(" padded ")]
    public void RedactConnectionString_PasswordWithAnyCharacters_IsHiddenWhole(string password)
    {
        var connectionString = new NpgsqlConnectionStringBuilder { Host = "db", Username = "app", Password = password, Database = "sinks" }.ConnectionString;

        var redacted = SecretRedactor.RedactConnectionString(connectionString);

        redacted.Should().Be("Host=db;Username=app;Password=[redacted];Database=sinks");
    }
}
