using System.Diagnostics;
using SinkIdempotency.Connect;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

public sealed class AutoMQContainerSettingsTests
{
    private const string ClusterId = "Mk3OEXBSQ3qCDQx1a3Nc1A";

    [Fact]
    public void Kafka_AutoMQ_WaitsForTheStartupScriptAndGetsTheObjectStorageKeys()
    {
        var spec = ContainerSettings.Kafka(new DockerEnvironmentOptions { Flavour = KafkaFlavour.AutoMQ });

        spec.Image.Should().Be("automqinc/automq:1.6.0");
        spec.KafkaListener.Should().BeNull("the Testcontainers Kafka module starts only Apache and Confluent images");
        spec.NetworkAliases.Should().Equal("kafka");
        spec.Ports.Should().Equal(9092);
        spec.Entrypoint.Should().Equal("/bin/sh", "-c");
        spec.Command.Should().ContainSingle().Which.Should().Contain("while [ ! -f /testcontainers.sh ]").And.EndWith("exec /testcontainers.sh");
        spec.Environment.Should().Equal(new Dictionary<string, string>
        {
            ["KAFKA_S3_ACCESS_KEY"] = "minioadmin",
            ["KAFKA_S3_SECRET_KEY"] = "minioadmin",
            ["KAFKA_HEAP_OPTS"] = "-Xms512m -Xmx1g -XX:MetaspaceSize=96m -XX:MaxDirectMemorySize=1G",
        });
    }

    [Fact]
    public void Kafka_AutoMQ_FitsASevenGigabyteRunnerBesideTwoWorkersPostgreSqlAndMinio()
    {
        var autoMq = ContainerSettings.Kafka(new DockerEnvironmentOptions { Flavour = KafkaFlavour.AutoMQ }).Environment["KAFKA_HEAP_OPTS"];
        var worker = ContainerSettings.Connect(new DockerEnvironmentOptions(), "image:1", "g", 1).Environment["KAFKA_HEAP_OPTS"];

        // Heap and direct memory of the three JVMs, 250 MB each beyond that (metaspace, threads, code cache), MinIO and
        // PostgreSQL 200 MB each, the test process 800 MB; a 7 GB runner keeps about 1 GB for the system and the engine.
        var jvms = MaxHeapMegabytes(autoMq) + DirectMegabytes(autoMq) + (2 * MaxHeapMegabytes(worker));
        var others = (3 * 250) + 200 + 200 + 800;

        jvms.Should().Be(1024 + 1024 + (2 * 768));
        (jvms + others).Should().BeLessThanOrEqualTo(6 * 1024, "two workers (the rebalance's joining worker), AutoMQ, MinIO and PostgreSQL must fit a 7 GB runner");
    }

    [Fact]
    public void Kafka_AutoMQWithOtherCredentialsAndImage_PassesThemOn()
    {
        var options = new DockerEnvironmentOptions { Flavour = KafkaFlavour.AutoMQ, KafkaImage = "registry.example/automq:9", MinioUser = "harness", MinioPassword = "s3cr3t-minio" };

        var spec = ContainerSettings.Kafka(options);

        spec.Image.Should().Be("registry.example/automq:9");
        spec.Environment.Should().Contain("KAFKA_S3_ACCESS_KEY", "harness").And.Contain("KAFKA_S3_SECRET_KEY", "s3cr3t-minio");
        ContainerSettings.Minio(options).Environment.Should().Contain("MINIO_ROOT_USER", "harness").And.Contain("MINIO_ROOT_PASSWORD", "s3cr3t-minio");
    }

    [Fact]
    public void Minio_ServesS3UnderTheMinioAliasWithTheRootCredentials()
    {
        var spec = ContainerSettings.Minio(new DockerEnvironmentOptions { Flavour = KafkaFlavour.AutoMQ });

        spec.Image.Should().Be("minio/minio:RELEASE.2025-05-24T17-08-30Z");
        spec.NetworkAliases.Should().Equal("minio");
        spec.Ports.Should().Equal(9000);
        spec.Command.Should().Equal("server", "/data");
        spec.Entrypoint.Should().BeEmpty("the image's entrypoint runs minio with these arguments");
        spec.Environment.Should().Equal(new Dictionary<string, string>
        {
            ["MINIO_ROOT_USER"] = "minioadmin",
            ["MINIO_ROOT_PASSWORD"] = "minioadmin",
            ["MINIO_DOMAIN"] = "minio",
        });
        ContainerSettings.Minio(new DockerEnvironmentOptions { MinioImage = "quay.io/minio/minio:latest" }).Image.Should().Be("quay.io/minio/minio:latest");
    }

    [Fact]
    public void MinioBucketCommands_RegisterTheLocalServerThenCreateBothBuckets()
    {
        var commands = ContainerSettings.MinioBucketCommands(new DockerEnvironmentOptions { MinioUser = "harness", MinioPassword = "s3cr3t-minio" });

        commands.Should().HaveCount(3);
        commands[0].Should().Equal("mc", "alias", "set", "local", "http://127.0.0.1:9000", "harness", "s3cr3t-minio");
        commands[1].Should().Equal("mc", "mb", "local/automq-data");
        commands[2].Should().Equal("mc", "mb", "local/automq-ops");
    }

    [Fact]
    public void MinioBucketCommands_CreateExactlyTheBucketsTheStartupScriptNames()
    {
        var options = new DockerEnvironmentOptions { Flavour = KafkaFlavour.AutoMQ };
        var overrides = ContainerSettings.AutoMQServerOverrides("127.0.0.1", 49153, ClusterId, TimeSpan.FromSeconds(6));

        var named = overrides
            .Where(kv => kv.Key.StartsWith("s3.", StringComparison.Ordinal))
            .Select(kv => kv.Value[(kv.Value.IndexOf("s3://", StringComparison.Ordinal) + 5)..kv.Value.IndexOf('?', StringComparison.Ordinal)])
            .Distinct();
        var created = ContainerSettings.MinioBucketCommands(options)
            .Where(c => c[1] == "mb")
            .Select(c => c[^1]["local/".Length..]);

        named.Should().BeEquivalentTo(created);
    }

    [Fact]
    public void AutoMQServerOverrides_RunOneCombinedNodeWithAnInternalAndAnExternalListener()
    {
        var overrides = ContainerSettings.AutoMQServerOverrides("127.0.0.1", 49153, ClusterId, TimeSpan.FromSeconds(6)).ToDictionary();

        overrides.Should().Contain(new Dictionary<string, string>
        {
            ["cluster.id"] = ClusterId,
            ["node.id"] = "0",
            ["process.roles"] = "broker,controller",
            ["controller.quorum.voters"] = "0@kafka:9093",
            ["controller.quorum.bootstrap.servers"] = "kafka:9093",
            ["listeners"] = "INTERNAL://:19092,EXTERNAL://:9092,CONTROLLER://:9093",
            ["advertised.listeners"] = "INTERNAL://kafka:19092,EXTERNAL://127.0.0.1:49153",
            ["listener.security.protocol.map"] = "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
            ["inter.broker.listener.name"] = "INTERNAL",
            ["controller.listener.names"] = "CONTROLLER",
            ["autobalancer.client.listener.name"] = "INTERNAL",
        });
        overrides["advertised.listeners"].Should().NotContain("CONTROLLER", "clients must never be sent to the controller listener");
        overrides["advertised.listeners"].Should().Contain(ContainerSettings.InternalBootstrap, "Connect containers bootstrap from the internal listener");
    }

    [Fact]
    public void AutoMQServerOverrides_PointTheBucketsAtMinioWithPathStyleRequests()
    {
        var overrides = ContainerSettings.AutoMQServerOverrides("127.0.0.1", 49153, ClusterId, TimeSpan.FromSeconds(6)).ToDictionary();

        overrides["s3.data.buckets"].Should().Be("0@s3://automq-data?region=us-east-1&endpoint=http://minio:9000&pathStyle=true");
        overrides["s3.ops.buckets"].Should().Be("1@s3://automq-ops?region=us-east-1&endpoint=http://minio:9000&pathStyle=true");
        overrides["s3.wal.path"].Should().Be("0@s3://automq-data?region=us-east-1&endpoint=http://minio:9000&pathStyle=true");
        overrides.Values.Should().NotContain(v => v.Contains("minioadmin", StringComparison.Ordinal), "the keys travel in the environment, not in the logged configuration");
    }

    [Fact]
    public void AutoMQServerOverrides_ApplyTheSingleNodeAndFailureTestSettings()
    {
        var overrides = ContainerSettings.AutoMQServerOverrides("127.0.0.1", 49153, ClusterId, TimeSpan.FromSeconds(6)).ToDictionary();

        overrides.Should().Contain(new Dictionary<string, string>
        {
            ["offsets.topic.replication.factor"] = "1",
            ["offsets.topic.num.partitions"] = "1",
            ["transaction.state.log.replication.factor"] = "1",
            ["transaction.state.log.min.isr"] = "1",
            ["group.initial.rebalance.delay.ms"] = "0",
            ["group.min.session.timeout.ms"] = "6000",
        });
        ContainerSettings.AutoMQServerOverrides("h", 1, ClusterId, TimeSpan.FromSeconds(3)).ToDictionary()["group.min.session.timeout.ms"].Should().Be("3000");
    }

    [Fact]
    public void AutoMQServerOverrides_EachKeyOnce()
    {
        var keys = ContainerSettings.AutoMQServerOverrides("127.0.0.1", 49153, ClusterId, TimeSpan.FromSeconds(6)).Select(kv => kv.Key);

        keys.Should().OnlyHaveUniqueItems("a repeated --override would silently keep only one value");
    }

    [Fact]
    public void AutoMQStartupScript_ExecsTheImagesServerStartWithEveryOverride()
    {
        var script = ContainerSettings.AutoMQStartupScript("127.0.0.1", 49153, ClusterId, TimeSpan.FromSeconds(3));

        script.Should().StartWith("#!/bin/sh\nexec '/opt/automq/kafka/bin/kafka-server-start.sh' '/opt/automq/kafka/config/kraft/server.properties' --override ");
        script.Should().Contain("--override 's3.data.buckets=0@s3://automq-data?region=us-east-1&endpoint=http://minio:9000&pathStyle=true'");
        script.Should().Contain("--override 'advertised.listeners=INTERNAL://kafka:19092,EXTERNAL://127.0.0.1:49153'");
        script.Should().Contain("--override 'group.min.session.timeout.ms=3000'");
        script.Should().EndWith("\n").And.NotContain("\r");
        script.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2, "the shebang and one exec line");
    }

    [Fact]
    public async Task AutoMQStartupScript_ThroughARealShell_PassesEachOverrideAsOneArgument()
    {
        Assert.SkipUnless(File.Exists("/bin/sh"), "This test needs /bin/sh.");
        using var folder = new TempFolder();
        var fakeStart = Path.Combine(folder.Path, "kafka-server-start.sh");
        await File.WriteAllTextAsync(fakeStart, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n", TestContext.Current.CancellationToken);
        var script = Path.Combine(folder.Path, "testcontainers.sh");
        var text = ContainerSettings.AutoMQStartupScript("127.0.0.1", 49153, ClusterId, TimeSpan.FromSeconds(3));
        await File.WriteAllTextAsync(script, text.Replace(ContainerSettings.ShellQuote(ContainerSettings.AutoMQServerStart), "/bin/sh " + ContainerSettings.ShellQuote(fakeStart), StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var lines = await RunShellAsync(script);

        var expected = new List<string> { ContainerSettings.AutoMQServerProperties };
        foreach (var (key, value) in ContainerSettings.AutoMQServerOverrides("127.0.0.1", 49153, ClusterId, TimeSpan.FromSeconds(3)))
        {
            expected.Add("--override");
            expected.Add(key + "=" + value);
        }

        lines.Should().Equal(expected);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a&b?c=d")]
    [InlineData("it's")]
    [InlineData("$HOME `id` \"q\" \\")]
    public async Task ShellQuote_ThroughARealShell_ComesBackUnchanged(string argument)
    {
        Assert.SkipUnless(File.Exists("/bin/sh"), "This test needs /bin/sh.");
        using var folder = new TempFolder();
        var script = Path.Combine(folder.Path, "echo.sh");
        await File.WriteAllTextAsync(script, "printf '%s\\n' " + ContainerSettings.ShellQuote(argument) + "\n", TestContext.Current.CancellationToken);

        var lines = await RunShellAsync(script);

        lines.Should().Equal(argument);
    }

    [Fact]
    public void AutoMQClusterId_IsAKafkaUuidThatNeverLooksLikeAnOption()
    {
        var ids = Enumerable.Range(0, 2000).Select(_ => ContainerSettings.AutoMQClusterId(Guid.NewGuid())).ToList();

        ids.Should().OnlyHaveUniqueItems();
        ids.Should().AllSatisfy(id =>
        {
            id.Should().HaveLength(22).And.MatchRegex("^[A-Za-z0-9_-]{22}$");
            id[0].Should().NotBe('-');
            Convert.FromBase64String(id.Replace('-', '+').Replace('_', '/') + "==").Should().HaveCount(16);
        });
    }

    [Fact]
    public void AutoMQClusterId_AGuidWhoseIdWouldStartWithADash_StartsWithALetter()
    {
        // 0xF8 in the first byte encodes as '-' (62) in URL-safe base64.
        var seed = new Guid([0xF8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

        var id = ContainerSettings.AutoMQClusterId(seed);

        char.IsAsciiLetter(id[0]).Should().BeTrue();
        ContainerSettings.AutoMQClusterId(seed).Should().Be(id, "the id depends only on the seed");
    }

    [Fact]
    public void DescribeCommand_TheAliasStep_HidesThePassword()
    {
        var options = new DockerEnvironmentOptions { MinioUser = "harness", MinioPassword = "s3cr3t-minio" };

        var described = ContainerSettings.DescribeCommand(ContainerSettings.MinioBucketCommands(options)[0]);

        described.Should().Be("mc alias set local http://127.0.0.1:9000 harness [redacted]");
    }

    [Fact]
    public void DescribeCommand_PasswordThatIsAlsoAWordOfTheCommand_HidesOnlyThePasswordArgument()
    {
        // A password equal to another argument ("local") must not blank that argument: redaction goes by position, not by text.
        var options = new DockerEnvironmentOptions { MinioUser = "harness", MinioPassword = "local" };

        var described = ContainerSettings.DescribeCommand(ContainerSettings.MinioBucketCommands(options)[0]);

        described.Should().Be("mc alias set local http://127.0.0.1:9000 harness [redacted]");
    }

    [Fact]
    public void SecretRedactor_TheAutoMQAndMinioEnvironments_HidesEveryCredential()
    {
        var options = new DockerEnvironmentOptions { Flavour = KafkaFlavour.AutoMQ, MinioUser = "harness", MinioPassword = "s3cr3t-minio" };

        var kafka = SecretRedactor.RedactConfig(ContainerSettings.Kafka(options).Environment);
        var minio = SecretRedactor.RedactConfig(ContainerSettings.Minio(options).Environment);

        kafka["KAFKA_S3_SECRET_KEY"].Should().Be("[redacted]");
        kafka["KAFKA_S3_ACCESS_KEY"].Should().Be("[redacted]");
        minio["MINIO_ROOT_PASSWORD"].Should().Be("[redacted]");
        kafka["KAFKA_HEAP_OPTS"].Should().Contain("-Xmx1g", "settings that are not secrets stay readable");
    }

    private static async Task<List<string>> RunShellAsync(string script)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var error = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            process.ExitCode.Should().Be(0, await error);
            return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static int MaxHeapMegabytes(string options) => Megabytes(options, "-Xmx");

    private static int DirectMegabytes(string options) => Megabytes(options, "-XX:MaxDirectMemorySize=");

    private static int Megabytes(string options, string flag)
    {
        var value = options.Split(' ').Single(o => o.StartsWith(flag, StringComparison.Ordinal))[flag.Length..].ToUpperInvariant();
        var number = int.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture);
        return value[^1] == 'G' ? number * 1024 : number;
    }
}
