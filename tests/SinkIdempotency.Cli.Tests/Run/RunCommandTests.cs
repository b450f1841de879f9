using System.CommandLine;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Environments;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Cli.Tests.Run;

public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_NoOptions_DefaultsToTheEmbeddedBuiltInMatrixOnce()
    {
        var settings = await ParseAsync("run");

        settings.Should().BeEquivalentTo(new RunSettings());
        settings!.Environment.Should().Be(EnvironmentKind.Embedded);
        settings.ScenarioFiles.Should().BeEmpty();
        settings.OutputDirectory.Should().BeNull();
        settings.Filter.Should().BeNull();
        settings.Repeat.Should().Be(1);
        settings.Parallel.Should().BeNull();
        settings.EffectiveParallel.Should().Be(Math.Clamp(Environment.ProcessorCount * RunSettings.DefaultLanesPerCore, 1, RunSettings.DefaultParallelCeiling));
        settings.List.Should().BeFalse();
    }

    [Theory]
    [InlineData("embedded", 1, 5)]
    [InlineData("embedded", 2, 10)]
    [InlineData("embedded", 3, RunSettings.DefaultParallelCeiling)]
    [InlineData("embedded", 64, RunSettings.DefaultParallelCeiling)]
    [InlineData("docker", 16, 1)]
    [InlineData("external", 16, 1)]
    public void DefaultParallel_Cores_FivePerCoreUpToTheCeilingOnlyOnTheEmbeddedEnvironment(string environment, int cores, int expected) =>
        RunSettings.DefaultParallel(Enum.Parse<EnvironmentKind>(environment, ignoreCase: true), cores).Should().Be(expected);

    [Fact]
    public async Task Run_ParallelGiven_OverridesTheDefault()
    {
        var settings = await ParseAsync("run", "--parallel", "1");

        settings!.EffectiveParallel.Should().Be(1);
    }

    [Fact]
    public async Task Run_EveryOption_IsParsedIntoTheSettings()
    {
        var settings = await ParseAsync("run", "--env", "docker", "--scenario", "a.yaml", "--scenario", "b.yaml", "--out", "reports", "--filter", "replay/*", "--repeat", "3", "--parallel", "2", "--list");

        settings!.Environment.Should().Be(EnvironmentKind.Docker);
        settings.ScenarioFiles.Should().Equal("a.yaml", "b.yaml");
        settings.OutputDirectory.Should().Be("reports");
        settings.Filter.Should().Be("replay/*");
        settings.Repeat.Should().Be(3);
        settings.Parallel.Should().Be(2);
        settings.List.Should().BeTrue();
    }

    [Fact]
    public async Task Run_KafkaFlavourAndImage_AreParsedForDocker()
    {
        var settings = await ParseAsync("run", "--env", "docker", "--kafka", "redpanda", "--kafka-image", " registry.example/redpanda:v25 ");

        settings!.Kafka.Should().Be(KafkaFlavour.Redpanda);
        settings.KafkaImage.Should().Be("registry.example/redpanda:v25");
    }

    [Theory]
    [InlineData("embedded", "--kafka", "redpanda")]
    [InlineData("external", "--kafka-image", "apache/kafka:3.9.1")]
    public async Task Run_KafkaOptionWithoutDocker_ExitsWithUsageErrorSayingWhatToChange(string environment, string option, string value)
    {
        var sessions = new FakeSessions(_ => throw new InvalidOperationException("nothing may run"));

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--env", environment, option, value);

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain($"with --env {environment} they have no effect").And.Contain("Add --env docker");
        sessions.StartedKind.Should().BeNull();
    }

    [Fact]
    public async Task Run_UnknownKafkaFlavour_ExitsWithUsageErrorListingTheFlavours()
    {
        var sessions = new FakeSessions(_ => throw new InvalidOperationException("nothing may run"));

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--env", "docker", "--kafka", "warpstream");

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain("warpstream").And.Contain("apache").And.Contain("confluent").And.Contain("redpanda").And.Contain("automq");
        sessions.StartedKind.Should().BeNull();
    }

    [Fact]
    public void DockerBuilder_OptionsOverVariablesOverDefault_ChoosesTheBroker()
    {
        var none = new Dictionary<string, string>();
        var variables = new Dictionary<string, string>
        {
            [DockerEnvironmentOptions.KafkaFlavourVariable] = "confluent",
            [DockerEnvironmentOptions.KafkaImageVariable] = "registry.example/cp-kafka:7.9.0",
        };
        var docker = new RunSettings { Environment = EnvironmentKind.Docker };

        EnvironmentSessionFactory.DockerBuilder(docker, none.GetValueOrDefault).Options.EffectiveKafkaImage.Should().Be(DockerImages.ApacheKafka);
        var fromVariables = EnvironmentSessionFactory.DockerBuilder(docker, variables.GetValueOrDefault).Options;
        fromVariables.Flavour.Should().Be(KafkaFlavour.Confluent);
        fromVariables.EffectiveKafkaImage.Should().Be("registry.example/cp-kafka:7.9.0");

        var fromOption = EnvironmentSessionFactory.DockerBuilder(docker with { Kafka = KafkaFlavour.AutoMQ }, variables.GetValueOrDefault).Options;
        fromOption.Flavour.Should().Be(KafkaFlavour.AutoMQ);
        fromOption.EffectiveKafkaImage.Should().Be(DockerImages.AutoMQ, "an image variable meant for another flavour does not follow --kafka");

        var imageOnly = EnvironmentSessionFactory.DockerBuilder(docker with { KafkaImage = "apache/kafka:3.9.1" }, none.GetValueOrDefault).Options;
        imageOnly.Flavour.Should().Be(KafkaFlavour.Apache);
        imageOnly.EffectiveKafkaImage.Should().Be("apache/kafka:3.9.1");

        // The known-answer suite's timings are kept whatever the broker.
        fromOption.OffsetFlushInterval.Should().Be(JdbcSinkMatrix.EnvironmentBuilder().Options.OffsetFlushInterval);
    }

    [Fact]
    public void DockerBuilder_BadFlavourVariable_IsAnEnvironmentErrorNamingTheVariable()
    {
        var variables = new Dictionary<string, string> { [DockerEnvironmentOptions.KafkaFlavourVariable] = "kafka" };

        var build = () => EnvironmentSessionFactory.DockerBuilder(new RunSettings { Environment = EnvironmentKind.Docker }, variables.GetValueOrDefault);

        build.Should().Throw<EnvironmentUnavailableException>()
            .WithMessage($"*{DockerEnvironmentOptions.KafkaFlavourVariable} is 'kafka', which is not a Kafka flavour; use one of apache, confluent, redpanda, automq*");
        EnvironmentSessionFactory.DockerBuilder(new RunSettings { Environment = EnvironmentKind.Docker, Kafka = KafkaFlavour.Redpanda }, variables.GetValueOrDefault)
            .Options.Flavour.Should().Be(KafkaFlavour.Redpanda, "--kafka decides alone, whatever the variable says");
    }

    [Fact]
    public async Task Run_ShortAliases_AreAccepted()
    {
        var settings = await ParseAsync("run", "-e", "external", "-s", "a.yaml", "-o", "out", "-f", "crash", "-r", "2", "-p", "2");

        settings.Should().BeEquivalentTo(new RunSettings { Environment = EnvironmentKind.External, ScenarioFiles = ["a.yaml"], OutputDirectory = "out", Filter = "crash", Repeat = 2, Parallel = 2 });
    }

    [Theory]
    [InlineData("--env", "kubernetes", "kubernetes")]
    [InlineData("--repeat", "0", "--repeat must be between 1 and 100, not 0.")]
    [InlineData("--repeat", "101", "--repeat must be between 1 and 100, not 101.")]
    [InlineData("--repeat", "often", "often")]
    [InlineData("--parallel", "0", "--parallel must be between 1 and 16, not 0.")]
    [InlineData("--parallel", "17", "--parallel must be between 1 and 16, not 17.")]
    [InlineData("--out", " ", "--out needs a folder path.")]
    [InlineData("--bogus", "1", "--bogus")]
    public async Task Run_InvalidOption_ExitsWithUsageErrorNamingIt(string option, string value, string expected)
    {
        var sessions = new FakeSessions(_ => throw new InvalidOperationException("nothing may run"));

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", option, value);

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain(expected).And.Contain("sink-idempotency --help");
        output.Should().BeEmpty();
        sessions.StartedKind.Should().BeNull();
    }

    [Fact]
    public async Task Help_ListsRunWithItsOptions()
    {
        var output = new SynchronizedStringWriter();

        var code = await CliApplication.InvokeAsync(["run", "--help"], output, new SynchronizedStringWriter(), TestContext.Current.CancellationToken);

        code.Should().Be(ExitCodes.Ok);
        output.ToString().Should().Contain("--env").And.Contain("--scenario").And.Contain("--out").And.Contain("--filter").And.Contain("--repeat").And.Contain("embedded")
            .And.Contain("--kafka").And.Contain("automq").And.Contain("--kafka-image");
    }

    [Theory]
    [InlineData("crash", "crash-after-target-write/postgres-insert", true)]
    [InlineData("CRASH", "crash-after-target-write/postgres-insert", true)]
    [InlineData("replay/*", "replay/postgres-upsert", true)]
    [InlineData("replay/*", "crash-after-target-write/postgres-insert", false)]
    [InlineData("*/postgres-ins?rt", "rebalance/postgres-insert", true)]
    [InlineData("*insert", "rebalance/postgres-upsert", false)]
    [InlineData("upsert", "rebalance/postgres-insert", false)]
    public void NameFilter_GlobOrSubstring_MatchesCaseInsensitively(string pattern, string name, bool expected) =>
        NameFilter.Matches(pattern, name).Should().Be(expected);

    private static async Task<RunSettings?> ParseAsync(params string[] args)
    {
        RunSettings? captured = null;
        var root = new RootCommand { RunCommand.Create((settings, _) => { captured = settings; return Task.FromResult(0); }) };
        var parse = root.Parse(args);
        parse.Errors.Should().BeEmpty();
        (await parse.InvokeAsync(new InvocationConfiguration(), TestContext.Current.CancellationToken)).Should().Be(0);
        return captured;
    }
}
