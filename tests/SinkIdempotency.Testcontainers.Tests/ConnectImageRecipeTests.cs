using Microsoft.Extensions.Logging;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

/// <summary>Checks how the Docker environment treats the Connect image's connector archives without Docker: an archive no pin verifies is refused before anything starts unless the user opts in, and what the build installed is turned into evidence notes and warnings.</summary>
public sealed class ConnectImageRecipeTests
{
    private static readonly string ShaA = new('a', 64);
    private static readonly string ShaB = new('b', 64);

    [Fact]
    public void ReadPins_RepositoryRecipe_NamesEveryArchiveTheDockerfileInstalls()
    {
        var folder = ConnectDockerfile.Find(AppContext.BaseDirectory)!;
        var dockerfile = File.ReadAllText(Path.Combine(folder, "Dockerfile"));

        var pins = ConnectImageRecipe.ReadPins(folder);

        pins.Select(p => p.PinFile).Should().Equal("kafka-connect-elasticsearch.sha256", "kafka-connect-jdbc.sha256", "kafka-connect-s3.sha256", "mysql-connector-j.sha256");
        pins.Should().AllSatisfy(p => dockerfile.Should().Contain(p.PinFile, "each pin file is one the Dockerfile installs from"));
        pins.Should().AllSatisfy(p => p.Archive.Should().MatchRegex(@"^[a-z0-9-]+-[0-9.]+\.(zip|jar)$"));
    }

    [Fact]
    public void ReadPins_PinnedUnpinnedAndEmptyFiles_ReadsTheChecksumOnlyWhereOneIsWritten()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "a.sha256"), $"# reviewed against the publisher\n{ShaA}  a-1.0.zip\n");
        File.WriteAllText(Path.Combine(folder.Path, "b.sha256"), "# not yet\nunpinned  b-2.0.jar\n");
        File.WriteAllText(Path.Combine(folder.Path, "c.sha256"), "# nothing\n");
        File.WriteAllText(Path.Combine(folder.Path, "notes.txt"), $"{ShaB}  d.zip\n");

        var pins = ConnectImageRecipe.ReadPins(folder.Path);

        pins.Should().Equal(
            new ConnectorPin("a.sha256", "a-1.0.zip", ShaA),
            new ConnectorPin("b.sha256", "b-2.0.jar", null),
            new ConnectorPin("c.sha256", "(no archive named)", null));
    }

    [Fact]
    public void ExplainUnpinned_UnpinnedWithoutOptIn_NamesEachArchiveAndEveryWayOut()
    {
        var pins = new[] { new ConnectorPin("a.sha256", "a-1.0.zip", ShaA), new ConnectorPin("b.sha256", "b-2.0.jar", null), new ConnectorPin("c.sha256", "c-3.0.zip", null) };

        var message = ConnectImageRecipe.ExplainUnpinned(pins, allowUnpinned: false, "/repo/docker/connect");

        message.Should().Contain("/repo/docker/connect would install 2 archive(s) whose pin file holds no SHA-256: b-2.0.jar (b.sha256), c-3.0.zip (c.sha256)")
            .And.Contain("SINKIDEMPOTENCY_ALLOW_UNPINNED_CONNECTORS=1").And.Contain("WithUnpinnedConnectorArchivesAllowed()")
            .And.Contain("SINKIDEMPOTENCY_CONNECT_IMAGE").And.Contain("'<sha256>  <archive>'")
            .And.NotContain("a-1.0.zip");
    }

    [Fact]
    public void ExplainUnpinned_OptInOrEverythingPinned_LetsTheBuildGoAhead()
    {
        var unpinned = new[] { new ConnectorPin("b.sha256", "b-2.0.jar", null) };
        var pinned = new[] { new ConnectorPin("a.sha256", "a-1.0.zip", ShaA) };

        ConnectImageRecipe.ExplainUnpinned(unpinned, allowUnpinned: true, "/x").Should().BeNull();
        ConnectImageRecipe.ExplainUnpinned(pinned, allowUnpinned: false, "/x").Should().BeNull();
    }

    [Fact]
    public void ParseManifest_LinesTheBuildWrote_AreReadAndOthersLeftOut()
    {
        var text = $"{ShaA}  confluentinc-kafka-connect-jdbc-10.7.6.zip  pinned  kafka-connect-jdbc.sha256\n{ShaB}  mysql-connector-j-8.4.0.jar  unverified  mysql-connector-j.sha256\r\nnot a line\n{ShaA}  x.zip  maybe  x.sha256\n";

        var archives = ConnectImageRecipe.ParseManifest(text);

        archives.Should().Equal(
            new ConnectorArchive(ShaA, "confluentinc-kafka-connect-jdbc-10.7.6.zip", Pinned: true, "kafka-connect-jdbc.sha256"),
            new ConnectorArchive(ShaB, "mysql-connector-j-8.4.0.jar", Pinned: false, "mysql-connector-j.sha256"));
    }

    [Fact]
    public void Provenance_UnverifiedArchive_IsANoteAndAWarningWithTheLineToPin()
    {
        var archives = new[]
        {
            new ConnectorArchive(ShaA, "confluentinc-kafka-connect-jdbc-10.7.6.zip", Pinned: true, "kafka-connect-jdbc.sha256"),
            new ConnectorArchive(ShaB, "mysql-connector-j-8.4.0.jar", Pinned: false, "mysql-connector-j.sha256"),
        };

        var (notes, warnings) = ConnectImageRecipe.Provenance("sinkidempotency/connect:x", archives);

        notes.Should().Equal(
            $"Connect image sinkidempotency/connect:x: confluentinc-kafka-connect-jdbc-10.7.6.zip sha256 {ShaA}, verified against docker/connect/kafka-connect-jdbc.sha256",
            $"Connect image sinkidempotency/connect:x: mysql-connector-j-8.4.0.jar sha256 {ShaB}, NOT verified (no pin in docker/connect/mysql-connector-j.sha256; installed because SINKIDEMPOTENCY_ALLOW_UNPINNED_CONNECTORS=1)");
        warnings.Should().ContainSingle().Which.Should().Contain($"mysql-connector-j-8.4.0.jar installed without a pinned checksum (sha256 {ShaB})")
            .And.Contain($"write '{ShaB}  mysql-connector-j-8.4.0.jar' in docker/connect/mysql-connector-j.sha256");
    }

    [Fact]
    public void Provenance_ImageWithoutManifest_SaysSoWithoutWarning()
    {
        var (notes, warnings) = ConnectImageRecipe.Provenance("registry.example.com/connect:1", null, "could not be read: no such file");

        notes.Should().ContainSingle().Which.Should().Contain("registry.example.com/connect:1 lists no connector archives").And.Contain("could not be read: no such file");
        warnings.Should().BeEmpty("a team's own image is theirs to vouch for");
    }

    [Fact]
    public void BuildLog_ErrorReported_ExplainsWithTheEngineErrorAndTheInstallScriptsLastLines()
    {
        var log = new ConnectImageBuildLog();
        ILogger logger = log;
        logger.LogDebug("{Stream}", "Step 7/12 : RUN sh /tmp/install-connector.sh");
        logger.LogDebug("{Stream}", $"install-connector: mysql-connector-j-8.4.0.jar has SHA-256 {ShaA}, but /tmp/mysql-connector-j.sha256 pins {ShaB}; the download is not the reviewed archive\n");
        logger.LogDebug("{Stream}", "connection.password=hunter2");
        logger.LogError("ID={ID}: {Error}", null, "The command '/bin/sh -c sh /tmp/install-connector.sh' returned a non-zero code: 1");

        var message = log.Explain("sinkidempotency/connect:x", cause: null);

        log.Errors.Should().ContainSingle();
        message.Should().StartWith("Building the Connect image sinkidempotency/connect:x failed: ID=(null): The command '/bin/sh -c sh /tmp/install-connector.sh' returned a non-zero code: 1.")
            .And.Contain($"has SHA-256 {ShaA}, but /tmp/mysql-connector-j.sha256 pins {ShaB}")
            .And.NotContain("hunter2");
    }

    [Fact]
    public void BuildLog_OnlyOutput_HasNoErrors()
    {
        var log = new ConnectImageBuildLog();
        ILogger logger = log;
        logger.LogDebug("{Stream}", "Successfully built 0123456789ab");
        logger.LogInformation("   ");

        log.Errors.Should().BeEmpty();
        log.Lines.Should().Equal("Successfully built 0123456789ab");
        log.Explain("img", new InvalidOperationException("Docker image img has not been created.")).Should().Contain("failed: Docker image img has not been created.");
    }

    [Fact]
    public void Options_ToString_NamesTheOptIn()
    {
        new DockerEnvironmentBuilder().WithUnpinnedConnectorArchivesAllowed().Options.ToString().Should().Contain("unpinned connector archives allowed");
        new DockerEnvironmentBuilder().Options.ToString().Should().NotContain("unpinned");
    }
}
