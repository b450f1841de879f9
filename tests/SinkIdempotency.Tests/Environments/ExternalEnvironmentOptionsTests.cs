using Confluent.Kafka;
using SinkIdempotency.Connect;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Tests.Environments;

public sealed class ExternalEnvironmentOptionsTests
{
    private static readonly Dictionary<string, string> Complete = new(StringComparer.Ordinal)
    {
        [ExternalEnvironmentOptions.BootstrapServersVariable] = "broker-1:9093,broker-2:9093",
        ["SINKIDEMPOTENCY_KAFKA_SECURITY_PROTOCOL"] = "SASL_SSL",
        ["SINKIDEMPOTENCY_KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-512",
        ["SINKIDEMPOTENCY_KAFKA_SASL_USERNAME"] = "harness",
        ["SINKIDEMPOTENCY_KAFKA_SASL_PASSWORD"] = "kafka-s3cret",
        ["SINKIDEMPOTENCY_KAFKA_SSL_CA_LOCATION"] = "/etc/ssl/ca.pem",
        [ExternalEnvironmentOptions.ConnectUrlsVariable] = "https://connect-1:8083, https://connect-2:8083/",
        [ExternalEnvironmentOptions.ConnectUserVariable] = "admin",
        [ExternalEnvironmentOptions.ConnectPasswordVariable] = "connect-s3cret",
        [ExternalEnvironmentOptions.TargetVariable] = "Host=pg.public;Port=6432;Database=sinks;Username=harness;Password=pg-s3cret",
        [ExternalEnvironmentOptions.ConnectorTargetVariable] = "Host=pg.internal;Port=5432;Database=sinks;Username=connect;Password=pg-conn-s3cret;SSL Mode=Require",
        ["UNRELATED"] = "x",
    };

    [Fact]
    public void Defaults_NothingSet_EverythingRequiredIsMissingAndTheRestIsDocumented()
    {
        var options = new ExternalEnvironmentOptions();

        options.BootstrapServers.Should().BeNull();
        options.KafkaSettings.Should().BeEmpty();
        options.ConnectUrls.Should().BeEmpty();
        options.ConnectUser.Should().BeNull();
        options.ConnectPassword.Should().BeNull();
        options.TargetConnectionString.Should().BeNull();
        options.ConnectorTargetConnectionString.Should().BeNull();
        options.TargetProxyAddress.Should().BeNull();
        options.TargetProxyListenPort.Should().BeNull();
        options.OffsetsApi.Should().BeNull();
        options.ReachabilityTimeout.Should().Be(TimeSpan.FromSeconds(15));
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
        options.Problems().Should().HaveCount(3)
            .And.Contain(p => p.Contains(ExternalEnvironmentOptions.BootstrapServersVariable, StringComparison.Ordinal))
            .And.Contain(p => p.Contains(ExternalEnvironmentOptions.ConnectUrlsVariable, StringComparison.Ordinal))
            .And.Contain(p => p.Contains(ExternalEnvironmentOptions.TargetVariable, StringComparison.Ordinal));
    }

    [Fact]
    public void FromEnvironmentVariables_EveryVariable_IsParsed()
    {
        var options = ExternalEnvironmentOptions.FromEnvironmentVariables(Complete);

        options.BootstrapServers.Should().Be("broker-1:9093,broker-2:9093");
        options.KafkaSettings.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["security.protocol"] = "SASL_SSL",
            ["sasl.mechanism"] = "SCRAM-SHA-512",
            ["sasl.username"] = "harness",
            ["sasl.password"] = "kafka-s3cret",
            ["ssl.ca.location"] = "/etc/ssl/ca.pem",
        });
        options.ConnectUrls.Select(u => u.AbsoluteUri).Should().Equal("https://connect-1:8083/", "https://connect-2:8083/");
        options.ConnectUser.Should().Be("admin");
        options.ConnectPassword.Should().Be("connect-s3cret");
        options.TargetConnectionString.Should().Contain("pg.public");
        options.ConnectorTargetConnectionString.Should().Contain("pg.internal");
        options.Problems().Should().BeEmpty();
    }

    [Theory]
    [InlineData("SASL_MECHANISM", "sasl.mechanism")]
    [InlineData("SSL_CA_LOCATION", "ssl.ca.location")]
    [InlineData("ENABLE_SSL_CERTIFICATE_VERIFICATION", "enable.ssl.certificate.verification")]
    [InlineData("SOME__ODD_NAME", "some_odd.name")]
    public void KafkaSettingName_VariableSuffix_BecomesTheLibrdkafkaName(string suffix, string expected) =>
        ExternalEnvironmentOptions.KafkaSettingName(suffix).Should().Be(expected);

    [Fact]
    public void FromEnvironmentVariables_BadConnectUrl_SaysWhichVariableAndWhatAUrlLooksLike()
    {
        var act = () => ExternalEnvironmentOptions.FromEnvironmentVariables(new Dictionary<string, string> { [ExternalEnvironmentOptions.ConnectUrlsVariable] = "connect:8083" });

        act.Should().Throw<ArgumentException>().WithMessage($"{ExternalEnvironmentOptions.ConnectUrlsVariable}: 'connect:8083' is not a Connect REST URL; use an absolute http or https URL such as http://connect:8083.");
    }

    [Fact]
    public void Problems_MalformedSettings_EachOneIsNamedWithoutQuotingPasswords()
    {
        var options = new ExternalEnvironmentOptions
        {
            BootstrapServers = "broker-1",
            KafkaSettings = new Dictionary<string, string> { ["bootstrap.servers"] = "other:9092" },
            ConnectUrls = [new Uri("http://connect:8083")],
            ConnectPassword = "lonely-s3cret",
            TargetConnectionString = "Host=pg;Password=pg-s3cret;Bogus Keyword=1",
            TargetProxyAddress = "proxy-without-port",
        };

        var problems = options.Problems();

        problems.Should().HaveCount(5);
        problems.Should().Contain("The bootstrap servers 'broker-1' are not a comma-separated list of host:port.");
        problems.Should().Contain(p => p.StartsWith("The Kafka client setting 'bootstrap.servers' cannot be passed through", StringComparison.Ordinal));
        problems.Should().Contain(p => p.StartsWith("A Connect password is set without a user", StringComparison.Ordinal));
        problems.Should().Contain($"The connection string in {ExternalEnvironmentOptions.TargetVariable} is not an Npgsql connection string (Host=…;Port=…;Database=…;Username=…;Password=…).");
        problems.Should().Contain(p => p.StartsWith("The target proxy address 'proxy-without-port' is not host:port", StringComparison.Ordinal));
        string.Join(" ", problems).Should().NotContain("s3cret");
    }

    [Fact]
    public void Build_MissingEverything_ThrowsListingWhatToSet()
    {
        var act = () => new ExternalEnvironmentBuilder().Build();

        act.Should().Throw<ArgumentException>()
            .WithMessage("The external environment is not configured: No Kafka bootstrap servers: set SINKIDEMPOTENCY_BOOTSTRAP_SERVERS*SINKIDEMPOTENCY_CONNECT_URLS*SINKIDEMPOTENCY_TARGET*");
    }

    [Fact]
    public void WithEnvironmentVariables_SettingsGivenInCode_WinOverVariables()
    {
        var builder = new ExternalEnvironmentBuilder()
            .WithBootstrapServers("code:9092")
            .WithKafkaSetting("sasl.username", "from-code")
            .WithEnvironmentVariables(Complete);

        builder.Options.BootstrapServers.Should().Be("code:9092");
        builder.Options.KafkaSettings["sasl.username"].Should().Be("from-code");
        builder.Options.KafkaSettings["sasl.password"].Should().Be("kafka-s3cret");
        builder.Options.ConnectUrls.Should().HaveCount(2);
    }

    [Fact]
    public void Build_CredentialsInsideTheConnectUrl_BecomeBasicAuthenticationAndLeaveTheUrl()
    {
        var environment = new ExternalEnvironmentBuilder()
            .WithEnvironmentVariables(Complete.Where(kv => !kv.Key.StartsWith("SINKIDEMPOTENCY_CONNECT_", StringComparison.Ordinal)).ToDictionary())
            .WithConnectUrl(new Uri("https://ops:url-s3cret@connect-1:8083/"))
            .Build();

        environment.ConnectUrls.Should().ContainSingle().Which.AbsoluteUri.Should().Be("https://connect-1:8083/");
        var client = environment.CreateConnectClientOptions();
        client.BasicAuthentication!.UserName.Should().Be("ops");
        client.BasicAuthentication.Password.Should().Be("url-s3cret");
    }

    [Fact]
    public void Kafka_SaslAndTlsSettings_ReachEveryClientConfigTheHarnessMakes()
    {
        var environment = new ExternalEnvironmentBuilder().WithEnvironmentVariables(Complete).Build();

        foreach (ClientConfig config in new ClientConfig[]
        {
            environment.Kafka.Configure(new ProducerConfig(), "p"),
            environment.Kafka.Configure(new ConsumerConfig(), "c"),
            environment.Kafka.Configure(new AdminClientConfig(), "a"),
        })
        {
            config.BootstrapServers.Should().Be("broker-1:9093,broker-2:9093");
            config.Get("security.protocol").Should().Be("SASL_SSL");
            config.Get("sasl.mechanism").Should().Be("SCRAM-SHA-512");
            config.SaslUsername.Should().Be("harness");
            config.SaslPassword.Should().Be("kafka-s3cret");
            config.SslCaLocation.Should().Be("/etc/ssl/ca.pem");
        }

        environment.Kafka.ToString().Should().Contain("sasl.username=harness").And.Contain("sasl.password=[redacted]").And.NotContain("kafka-s3cret");
    }

    [Fact]
    public void Capabilities_WithoutProxyAddress_NoneSoKillAndRebalanceScenariosSkipWithTheReason()
    {
        var environment = new ExternalEnvironmentBuilder().WithEnvironmentVariables(Complete).Build();

        environment.Name.Should().Be("external");
        environment.Capabilities.Should().Be(EnvironmentCapabilities.None);
        environment.TargetProxy.Should().BeNull();
        environment.MissingCapabilityReason(EnvironmentCapabilities.KillWorker)
            .Should().Be("The external environment cannot kill a worker (KillWorker); the scenario needs it, so it is skipped rather than passed.");
        var adapter = new SinkScenarioDriver(environment);
        adapter.Capabilities.Should().Be(EnvironmentCapabilities.ConsumerGroupReset | EnvironmentCapabilities.DeleteRecords, "both are Kafka admin calls the harness makes itself, on the run's own group and topic");
        var crash = ReferenceMatrix.Scenarios.First(s => s.Name == "crash-after-target-write/postgres-insert").Scenario;
        crash.Fault!.MissingCapabilityReason(adapter.Capabilities).Should().Contain("KillWorker");
    }

    [Fact]
    public void Capabilities_WithProxyAddress_TargetFaultsAndConnectorsPointAtTheProxy()
    {
        var environment = new ExternalEnvironmentBuilder().WithEnvironmentVariables(Complete).WithTargetProxy("harness-host:15432").Build();

        environment.Capabilities.Should().Be(EnvironmentCapabilities.TargetFaultProxy);
        environment.Target.SinkHost.Should().Be("harness-host");
        environment.Target.SinkPort.Should().Be(15432);
        environment.GetConnectorTargetSettings(throughProxy: true)["connection.url"]
            .Should().Be($"jdbc:postgresql://harness-host:15432/sinks?sslmode=require&socketTimeout={SinkScenarioDriver.ProxyReplyTimeoutSeconds}");
    }

    [Fact]
    public async Task WorkerControl_ExternalCluster_ThrowsMissingCapabilityNamingIt()
    {
        var environment = new ExternalEnvironmentBuilder().WithEnvironmentVariables(Complete).Build();

        (await FluentActions.Awaiting(() => environment.KillWorkerAsync("w1")).Should().ThrowAsync<MissingCapabilityException>())
            .Which.Missing.Should().Be(EnvironmentCapabilities.KillWorker);
        (await FluentActions.Awaiting(() => environment.AddWorkerAsync()).Should().ThrowAsync<MissingCapabilityException>())
            .Which.Message.Should().Contain("cannot add a worker");
        await FluentActions.Awaiting(() => environment.RestartWorkerAsync("w1")).Should().ThrowAsync<MissingCapabilityException>();
        FluentActions.Invoking(() => environment.GetConnectorTargetSettings(throughProxy: true)).Should().Throw<MissingCapabilityException>();
    }

    [Fact]
    public void GetConnectorTargetSettings_SeparateConnectorTarget_ConnectorsGetTheirOwnHostAndCredentials()
    {
        var environment = new ExternalEnvironmentBuilder().WithEnvironmentVariables(Complete).Build();

        var settings = environment.GetConnectorTargetSettings(throughProxy: false);

        settings.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["connection.url"] = "jdbc:postgresql://pg.internal:5432/sinks?sslmode=require",
            ["connection.user"] = "connect",
            ["connection.password"] = "pg-conn-s3cret",
        });
        environment.Target.ConnectionString.Should().Contain("pg.public");
        environment.Target.ToString().Should().NotContain("pg-s3cret");
        SecretRedactor.RedactConfig(settings).Values.Should().NotContain(v => v.Contains("s3cret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("si-1a2b3c4d-replay-postgres-insert", true)]
    [InlineData("si-1a2b3c4d-replay-postgres-insert-dlq", true)]
    [InlineData("si_1a2b3c4d_replay_postgres_insert", true)]
    [InlineData("connect-si-1a2b3c4d-replay", true)]
    [InlineData("orders", false)]
    [InlineData("si-orders", false)]
    [InlineData("si-AB12CD34-x", false)]
    [InlineData("si-1a2b-", false)]
    [InlineData("connect-orders-sink", false)]
    [InlineData("public.orders", false)]
    public void IsRunScoped_Name_OnlyRunNamespacesQualify(string name, bool expected) =>
        RunNamespace.IsRunScoped(name).Should().Be(expected);

    [Fact]
    public async Task Adapter_DeletingANameOutsideARunNamespace_IsRefusedBeforeAnyCall()
    {
        // Unreachable endpoints: a refused delete must not even try to connect.
        var environment = new ExternalEnvironmentBuilder().WithEnvironmentVariables(Complete).Build();
        await using var adapter = new SinkScenarioDriver(environment);

        (await FluentActions.Awaiting(() => adapter.DeleteTopicAsync("orders")).Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("Refusing to delete the topic 'orders': it is not in a run namespace*");
        var target = await adapter.GetTargetAsync(ScenarioTarget.PostgreSqlKind, TestContext.Current.CancellationToken);
        await FluentActions.Awaiting(() => target.DropTableAsync("public", "orders")).Should().ThrowAsync<InvalidOperationException>().WithMessage("*table 'orders'*");
        await FluentActions.Awaiting(() => adapter.DeleteConnectorAsync("orders-sink")).Should().ThrowAsync<InvalidOperationException>().WithMessage("*connector 'orders-sink'*");
        await FluentActions.Awaiting(() => adapter.ResetConsumerGroupAsync("connect-orders-sink", null)).Should().ThrowAsync<InvalidOperationException>().WithMessage("*consumer group*");
    }
}
