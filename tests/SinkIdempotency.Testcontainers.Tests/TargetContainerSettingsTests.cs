using MySqlConnector;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

public sealed class TargetContainerSettingsTests
{
    [Fact]
    public void MySql_Defaults_CreateTheRunDatabaseAndSinkUserWithDurableCommitsUnderTheMySqlAlias()
    {
        var spec = ContainerSettings.MySql(new DockerEnvironmentOptions());

        spec.Image.Should().Be("mysql:8.4.3");
        spec.NetworkAliases.Should().Equal("mysql");
        spec.Ports.Should().Equal(3306);
        spec.Environment.Should().Contain("MYSQL_DATABASE", "sinkidempotency").And.Contain("MYSQL_USER", "sink")
            .And.Contain("MYSQL_PASSWORD", "mysql-sink").And.Contain("MYSQL_ROOT_PASSWORD", "mysql-sink");
        spec.Command.Should().Contain(["--innodb-flush-log-at-trx-commit=1", "--sync-binlog=1"]);
    }

    [Fact]
    public void MySql_OptionsImageAndPassword_AreUsed()
    {
        var spec = ContainerSettings.MySql(new DockerEnvironmentOptions { MySqlImage = "mariadb:11.4", MySqlPassword = "s3cret" });

        spec.Image.Should().Be("mariadb:11.4");
        spec.Environment.Should().Contain("MYSQL_PASSWORD", "s3cret");
    }

    [Fact]
    public void MySqlConnectionString_PublishedPort_ReachesTheRunDatabaseAsTheSinkUser()
    {
        var builder = new MySqlConnectionStringBuilder(ContainerSettings.MySqlConnectionString("127.0.0.1", 32768, new DockerEnvironmentOptions { MySqlPassword = "pw" }));

        (builder.Server, builder.Port, builder.Database, builder.UserID, builder.Password).Should().Be(("127.0.0.1", 32768u, "sinkidempotency", "sink", "pw"));
    }

    [Fact]
    public void Elasticsearch_Defaults_RunOneNodeWithoutSecurityUnderTheElasticsearchAlias()
    {
        var spec = ContainerSettings.Elasticsearch(new DockerEnvironmentOptions());

        spec.Image.Should().Be("docker.elastic.co/elasticsearch/elasticsearch:7.17.25");
        spec.NetworkAliases.Should().Equal("elasticsearch");
        spec.Ports.Should().Equal(9200);
        spec.Environment.Should().Contain("discovery.type", "single-node").And.Contain("xpack.security.enabled", "false");
        spec.Environment["ES_JAVA_OPTS"].Should().Contain("-Xmx");
    }

    [Fact]
    public void MinioConnection_PublishedPort_SignsWithMinioRootCredentialsInItsRegion()
    {
        var connection = ContainerSettings.MinioConnection("localhost", 40000, new DockerEnvironmentOptions { MinioUser = "user", MinioPassword = "password1" });

        connection.ServiceUrl.Should().Be(new Uri("http://localhost:40000/"));
        (connection.Region, connection.AccessKey, connection.SecretKey).Should().Be(("us-east-1", "user", "password1"));
        connection.ToString().Should().NotContain("password1");
    }

    [Fact]
    public void NetworkUrl_AliasAndPort_IsWhatConnectorsReach() =>
        ContainerSettings.NetworkUrl("minio", 9000).Should().Be(new Uri("http://minio:9000/"));

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    public void Validate_BadMySqlPassword_ThrowsNamingTheOption(string password)
    {
        new DockerEnvironmentOptions().Validate();

        FluentActions.Invoking(() => new DockerEnvironmentOptions { MySqlPassword = password }.Validate()).Should().Throw<ArgumentException>().WithMessage("*MySqlPassword*");
    }

    [Fact]
    public void Builder_TargetImages_AreKeptInTheOptions()
    {
        var options = new DockerEnvironmentBuilder().WithMySqlImage("mysql:9.1").WithElasticsearchImage("opensearchproject/opensearch:2.18.0").Options;

        (options.MySqlImage, options.ElasticsearchImage).Should().Be(("mysql:9.1", "opensearchproject/opensearch:2.18.0"));
    }
}
