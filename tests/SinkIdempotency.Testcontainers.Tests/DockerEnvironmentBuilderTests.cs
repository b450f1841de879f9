using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

public sealed class DockerEnvironmentBuilderTests
{
    [Fact]
    public void With_AnySetting_ReturnsANewBuilderAndLeavesTheOriginalUnchanged()
    {
        var original = new DockerEnvironmentBuilder();

        var changed = original.WithWorkers(3).WithKafka(KafkaFlavour.Redpanda).WithOffsetFlushInterval(TimeSpan.FromSeconds(2)).WithTargetProxy(false);

        changed.Should().NotBeSameAs(original);
        original.Options.Should().BeEquivalentTo(new DockerEnvironmentOptions(), o => o.Excluding(x => x.TimeProvider));
        changed.Options.Workers.Should().Be(3);
        changed.Options.Flavour.Should().Be(KafkaFlavour.Redpanda);
        changed.Options.OffsetFlushInterval.Should().Be(TimeSpan.FromSeconds(2));
        changed.Options.TargetProxy.Should().BeFalse();
    }

    [Fact]
    public void WithWorkerProperty_OnABranchedBuilder_DoesNotLeakIntoTheOtherBranch()
    {
        var root = new DockerEnvironmentBuilder().WithWorkerProperty("a.b", "1");

        var left = root.WithWorkerProperty("c.d", "2");
        var right = root.WithPluginFolder(Path.GetTempPath());

        root.Options.WorkerProperties.Should().Equal(new Dictionary<string, string> { ["a.b"] = "1" });
        left.Options.WorkerProperties.Should().HaveCount(2);
        right.Options.WorkerProperties.Should().HaveCount(1);
        root.Options.PluginFolders.Should().BeEmpty();
        right.Options.PluginFolders.Should().ContainSingle();
    }

    [Fact]
    public void Defaults_PinTheApacheImageAndSuitFailureTests()
    {
        var options = new DockerEnvironmentOptions();

        options.Flavour.Should().Be(KafkaFlavour.Apache);
        options.EffectiveKafkaImage.Should().Be("apache/kafka:4.1.1");
        options.Workers.Should().Be(1);
        options.OffsetFlushInterval.Should().BeLessThan(TimeSpan.FromSeconds(60), "Connect's 60 s default leaves failure tests waiting");
        options.ScheduledRebalanceMaxDelay.Should().BeLessThan(TimeSpan.FromMinutes(5), "Connect's 5 min default leaves a killed worker's tasks unassigned");
        options.TargetProxy.Should().BeTrue();
    }

    [Theory]
    [InlineData(KafkaFlavour.Apache, "apache/kafka:4.1.1")]
    [InlineData(KafkaFlavour.Confluent, "confluentinc/cp-kafka:7.7.1")]
    [InlineData(KafkaFlavour.Redpanda, "redpandadata/redpanda:v24.2.4")]
    [InlineData(KafkaFlavour.AutoMQ, "automqinc/automq:1.6.0")]
    public void WithKafka_Flavour_SelectsItsPinnedImageUnlessOneIsGiven(KafkaFlavour flavour, string image)
    {
        new DockerEnvironmentBuilder().WithKafka(flavour).Options.EffectiveKafkaImage.Should().Be(image);
        new DockerEnvironmentBuilder().WithKafka(flavour, "registry.example/kafka:9").Options.EffectiveKafkaImage.Should().Be("registry.example/kafka:9");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(17)]
    public void Build_WorkersOutOfRange_ThrowsNamingTheOption(int workers)
    {
        var build = () => new DockerEnvironmentBuilder().WithWorkers(workers).Build();

        build.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Workers must be between 1 and 16*").And.ParamName.Should().Be("Workers");
    }

    [Fact]
    public void Build_ZeroOffsetFlushInterval_ThrowsNamingTheOption()
    {
        var build = () => new DockerEnvironmentBuilder().WithOffsetFlushInterval(TimeSpan.Zero).Build();

        build.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*OffsetFlushInterval must be positive*");
    }

    [Fact]
    public void Build_NegativeSessionTimeouts_Throw()
    {
        ((Action)(() => new DockerEnvironmentBuilder().WithConsumerSessionTimeout(TimeSpan.FromSeconds(-1)).Build()))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*ConsumerSessionTimeout must be positive*");
        ((Action)(() => new DockerEnvironmentBuilder().WithWorkerSessionTimeout(TimeSpan.Zero).Build()))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*WorkerSessionTimeout must be positive*");
    }

    [Fact]
    public void Build_SessionTimeoutBelowTheBrokerMinimum_ThrowsSayingToLowerIt()
    {
        var below = () => new DockerEnvironmentBuilder().WithConsumerSessionTimeout(TimeSpan.FromSeconds(3)).Build();
        var lowered = () => new DockerEnvironmentBuilder().WithGroupMinSessionTimeout(TimeSpan.FromSeconds(3)).WithConsumerSessionTimeout(TimeSpan.FromSeconds(3)).Build();

        below.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*ConsumerSessionTimeout (3000 ms) is below the broker's group.min.session.timeout.ms (6000 ms)*lower GroupMinSessionTimeout*");
        lowered.Should().NotThrow();
    }

    [Fact]
    public void Build_MissingPluginFolder_ThrowsNamingTheFolder()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-plugins-" + Guid.NewGuid().ToString("N"));

        var build = () => new DockerEnvironmentBuilder().WithPluginFolder(missing).Build();

        build.Should().Throw<ArgumentException>().WithMessage($"*plugin folder '{missing}' does not exist*");
    }

    [Fact]
    public void Build_TwoPluginFoldersWithTheSameName_Throws()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        var a = Directory.CreateDirectory(Path.Combine(first.Path, "jdbc")).FullName;
        var b = Directory.CreateDirectory(Path.Combine(second.Path, "jdbc")).FullName;

        var build = () => new DockerEnvironmentBuilder().WithPluginFolder(a).WithPluginFolder(b).Build();

        build.Should().Throw<ArgumentException>().WithMessage("*two plugin folders are named 'jdbc'*");
    }

    [Fact]
    public void Build_ImageWithSpaces_Throws()
    {
        var build = () => new DockerEnvironmentBuilder().WithConnectImage("my image").Build();

        build.Should().Throw<ArgumentException>().WithMessage("*ConnectImage 'my image' is not an image name*");
    }

    [Fact]
    public void Build_DockerfileDirectoryWithoutDockerfile_Throws()
    {
        using var folder = new TempFolder();

        var build = () => new DockerEnvironmentBuilder().WithConnectDockerfileDirectory(folder.Path).Build();

        build.Should().Throw<ArgumentException>().WithMessage("*holds no Dockerfile*");
    }

    [Fact]
    public void Build_BadWorkerPropertyName_Throws()
    {
        var build = () => new DockerEnvironmentBuilder().WithWorkerProperty("a b", "1").Build();

        build.Should().Throw<ArgumentException>().WithMessage("*'a b' is not a worker property name*");
    }

    [Fact]
    public void Build_ValidOptions_CreatesAnUnstartedDockerEnvironmentWithItsCapabilities()
    {
        var environment = new DockerEnvironmentBuilder().Build();

        environment.Name.Should().Be("docker (apache/kafka:4.1.1)");
        new DockerEnvironmentBuilder().WithKafka(KafkaFlavour.Redpanda).Build().Name.Should().Be($"docker ({DockerImages.Redpanda})", "scorecards of different brokers tell themselves apart");
        environment.Capabilities.Should().Be(
            Environments.EnvironmentCapabilities.KillWorker | Environments.EnvironmentCapabilities.AddWorker
            | Environments.EnvironmentCapabilities.RestartWorker | Environments.EnvironmentCapabilities.FreezeWorker | Environments.EnvironmentCapabilities.TargetFaults);
        environment.ConnectUrls.Should().BeEmpty();
        environment.TargetProxy.Should().BeNull();
        ((Func<object>)(() => environment.Kafka)).Should().Throw<InvalidOperationException>().WithMessage("*not started*");
        ((Func<object>)(() => environment.Target)).Should().Throw<InvalidOperationException>().WithMessage("*not started*");
    }

    [Fact]
    public void Capabilities_WithoutTargetProxy_LacksTargetFaults()
    {
        var environment = new DockerEnvironmentBuilder().WithTargetProxy(false).Build();

        environment.Capabilities.Should().NotHaveFlag(Environments.EnvironmentCapabilities.TargetFaults);
        environment.Capabilities.Should().HaveFlag(Environments.EnvironmentCapabilities.KillWorker);
    }

    [Fact]
    public async Task WorkerOperations_BeforeStart_ThrowNotStarted()
    {
        await using var environment = new DockerEnvironmentBuilder().Build();

        await FluentActions.Awaiting(() => environment.AddWorkerAsync(TestContext.Current.CancellationToken)).Should().ThrowAsync<InvalidOperationException>().WithMessage("*not started*");
        await FluentActions.Awaiting(() => environment.KillWorkerAsync("connect-1:8083", TestContext.Current.CancellationToken)).Should().ThrowAsync<InvalidOperationException>();
        (await environment.ListWorkersAsync(TestContext.Current.CancellationToken)).Should().BeEmpty();
    }

    [Fact]
    public async Task ReadWorkerLog_UnknownWorker_IsEmptyNotAnError()
    {
        await using var environment = new DockerEnvironmentBuilder().Build();

        (await environment.ReadWorkerLogAsync("connect-9:8083", 100, TestContext.Current.CancellationToken)).Should().BeEmpty();
        environment.Should().BeAssignableTo<Environments.IWorkerLogReader>("the scenario adapter puts worker logs into evidence through it");
    }

    [Fact]
    public void WithMinio_ImageAndCredentials_AreKeptWithoutChangingTheFlavour()
    {
        var original = new DockerEnvironmentBuilder().WithKafka(KafkaFlavour.AutoMQ);

        var changed = original.WithMinioImage("quay.io/minio/minio:RELEASE.2025-05-24T17-08-30Z").WithMinioCredentials("harness", "s3cr3t-minio");

        changed.Options.Flavour.Should().Be(KafkaFlavour.AutoMQ);
        changed.Options.MinioImage.Should().Be("quay.io/minio/minio:RELEASE.2025-05-24T17-08-30Z");
        changed.Options.MinioUser.Should().Be("harness");
        changed.Options.MinioPassword.Should().Be("s3cr3t-minio");
        original.Options.MinioImage.Should().Be("minio/minio:RELEASE.2025-05-24T17-08-30Z");
        original.Options.MinioPassword.Should().Be("minioadmin");
        changed.Build().Options.Should().BeSameAs(changed.Options);
    }

    [Theory]
    [InlineData("ab", "minioadmin", "MinioUser")]
    [InlineData("harness", "hunter2", "MinioPassword")]
    [InlineData("har ness", "minioadmin", "MinioUser")]
    [InlineData("harness", "with space", "MinioPassword")]
    public void Build_AutoMQWithCredentialsMinioRefuses_ThrowsNamingTheOption(string user, string password, string option)
    {
        var build = () => new DockerEnvironmentBuilder().WithKafka(KafkaFlavour.AutoMQ).WithMinioCredentials(user, password).Build();

        var thrown = build.Should().Throw<ArgumentException>().Which;
        thrown.ParamName.Should().Be(option);
        thrown.Message.Should().Contain("MinIO refuses");
        if (option == "MinioPassword")
        {
            thrown.Message.Should().NotContain(password, "a rejected password is still a password");
        }
    }

    [Fact]
    public void Build_MinioImageWithSpaces_Throws()
    {
        var build = () => new DockerEnvironmentBuilder().WithKafka(KafkaFlavour.AutoMQ).WithMinioImage("minio minio").Build();

        build.Should().Throw<ArgumentException>().WithMessage("*MinioImage 'minio minio' is not an image name*");
    }

    [Fact]
    public void Build_UnknownFlavour_ThrowsListingEveryFlavour()
    {
        var build = () => new DockerEnvironmentBuilder().WithKafka((KafkaFlavour)42).Build();

        build.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Apache, Confluent, Redpanda or AutoMQ*");
        Enum.GetNames<KafkaFlavour>().Should().Equal("Apache", "Confluent", "Redpanda", "AutoMQ");
    }

    [Fact]
    public void Build_AutoMQ_CreatesAnUnstartedEnvironmentWithTheSameCapabilities()
    {
        var environment = new DockerEnvironmentBuilder().WithKafka(KafkaFlavour.AutoMQ).Build();

        environment.Options.EffectiveKafkaImage.Should().Be("automqinc/automq:1.6.0");
        environment.Capabilities.Should().Be(new DockerEnvironmentBuilder().Build().Capabilities);
        ((Func<object>)(() => environment.Kafka)).Should().Throw<InvalidOperationException>().WithMessage("*not started*");
    }

    [Fact]
    public void ToString_AutoMQ_NamesTheObjectStorageAndHidesItsPassword()
    {
        var options = new DockerEnvironmentOptions { Flavour = KafkaFlavour.AutoMQ, MinioUser = "harness", MinioPassword = "s3cr3t-minio", PostgreSqlPassword = "s3cr3t-pw" };

        var text = options.ToString();

        text.Should().NotContain("s3cr3t-minio").And.NotContain("s3cr3t-pw");
        text.Should().Contain("automqinc/automq:1.6.0 (AutoMQ)").And.Contain("object storage minio/minio:RELEASE.2025-05-24T17-08-30Z (user harness, password [redacted])");
        new DockerEnvironmentOptions().ToString().Should().NotContain("object storage", "only AutoMQ starts MinIO");
    }

    [Fact]
    public void ToString_HidesThePostgreSqlPassword()
    {
        var options = new DockerEnvironmentOptions { PostgreSqlPassword = "s3cr3t-pw" };

        options.ToString().Should().NotContain("s3cr3t-pw").And.Contain("[redacted]").And.Contain("apache/kafka:4.1.1");
    }
}
