using SinkIdempotency.Environments;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

public sealed class RedactionTests
{
    [Fact]
    public void RedactLog_ConnectLogLinesWithPasswords_HidesThem()
    {
        const string log = "INFO JdbcSinkConfig values:\r\n\tconnection.url = jdbc:postgresql://host.testcontainers.internal:5555/postgres?user=postgres&password=hunter2\n\tconnection.password = [hidden]\nERROR postgres://postgres:hunter2@postgres:5432/postgres refused\n";

        var lines = DockerEnvironment.RedactLog(log, 100);

        string.Join('\n', lines).Should().NotContain("hunter2");
        lines.Should().HaveCount(4);
        lines[1].Should().Contain("password=[redacted]");
        lines[3].Should().Contain("postgres:[redacted]@postgres:5432");
    }

    [Fact]
    public void RedactLog_MaxLines_KeepsTheNewest()
    {
        DockerEnvironment.RedactLog("a\nb\nc\n", 2).Should().Equal("b", "c");
    }

    [Fact]
    public void TargetEndpoint_OfTheDockerShape_FormatsWithoutThePassword()
    {
        var endpoint = new TargetEndpoint("Host=127.0.0.1;Port=49160;Database=postgres;Username=postgres;Password=hunter2", "host.testcontainers.internal", 41000)
        {
            DirectSinkHost = "postgres",
            DirectSinkPort = 5432,
        };

        endpoint.ToString().Should().NotContain("hunter2");
        endpoint.SinkJdbcUrl.Should().Be("jdbc:postgresql://host.testcontainers.internal:41000/postgres");
    }
}
