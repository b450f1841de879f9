using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

/// <summary>Checks the Connect image's recipe without Docker: the JDBC sink is pinned by checksum, and the install script the build runs installs only the pinned archive (run here with <c>sh</c>, <c>curl</c> over <c>file://</c> and <c>python3</c>).</summary>
public sealed partial class ConnectImageTests
{
    private const string Archive = "vendor-sink-1.2.3.zip";

    private static string ConnectFolder => ConnectDockerfile.Find(AppContext.BaseDirectory)!;

    [Fact]
    public void Dockerfile_InstallsTheJdbcSinkFromItsPinnedArchiveNotConfluentHub()
    {
        var dockerfile = File.ReadAllText(Path.Combine(ConnectFolder, "Dockerfile"));

        var instructions = string.Join('\n', dockerfile.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));
        instructions.Should().NotContain("confluent-hub install", "the client is gone in Confluent Platform 8 and its downloads have failed builds");
        instructions.Should().Contain("install-connector.sh").And.Contain("kafka-connect-jdbc.sha256");
        var version = ArgumentDefault().Match(dockerfile).Groups["version"].Value;
        var pinned = PinnedArchive().Match(File.ReadAllText(Path.Combine(ConnectFolder, "kafka-connect-jdbc.sha256")));
        pinned.Success.Should().BeTrue("the pin file names the archive it pins");
        pinned.Groups["archive"].Value.Should().Be($"confluentinc-kafka-connect-jdbc-{version}.zip", "the pin and the version the Dockerfile downloads must change together");
        DockerImages.ConnectBuiltImage.Should().Contain("-jdbc" + version + "-", "the built image's tag names the connector version");
    }

    [Theory]
    [InlineData("kafka-connect-s3.sha256", "S3_CONNECTOR_VERSION", "confluentinc-kafka-connect-s3-{0}.zip", "-s3-{0}-")]
    [InlineData("kafka-connect-elasticsearch.sha256", "ELASTICSEARCH_CONNECTOR_VERSION", "confluentinc-kafka-connect-elasticsearch-{0}.zip", "-es{0}-")]
    [InlineData("mysql-connector-j.sha256", "MYSQL_DRIVER_VERSION", "mysql-connector-j-{0}.jar", "-mysql{0}")]
    public void Dockerfile_TargetConnectorsAndDriver_ComeFromTheirPinnedArchivesAtTheVersionTheTagNames(string pinFile, string argument, string archive, string tag)
    {
        var dockerfile = File.ReadAllText(Path.Combine(ConnectFolder, "Dockerfile"));
        var version = Regex.Match(dockerfile, $@"ARG {argument}=(?<version>[0-9.]+)").Groups["version"].Value;

        version.Should().NotBeEmpty();
        dockerfile.Should().Contain(pinFile);
        PinnedArchive().Match(File.ReadAllText(Path.Combine(ConnectFolder, pinFile))).Groups["archive"].Value.Should().Be(string.Format(System.Globalization.CultureInfo.InvariantCulture, archive, version));
        DockerImages.ConnectBuiltImage.Should().Contain(string.Format(System.Globalization.CultureInfo.InvariantCulture, tag, version));
    }

    [Fact]
    public void Dockerfile_MySqlDriver_GoesIntoTheJdbcSinksOwnLibFolder() =>
        File.ReadAllText(Path.Combine(ConnectFolder, "Dockerfile")).Should().Contain("/usr/share/confluent-hub-components/confluentinc-kafka-connect-jdbc-${JDBC_CONNECTOR_VERSION}/lib");

    [Fact]
    public void ConnectBuildArguments_Mirrors_PointTheBaseImageAndEveryArchiveAtThem()
    {
        var variables = new Dictionary<string, string>
        {
            ["TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX"] = "registry.example.com/hub-mirror/",
            ["SINKIDEMPOTENCY_CONNECTOR_BASE_URL"] = "https://artifacts.example.com/connectors/",
        };

        var arguments = ContainerSettings.ConnectBuildArguments(new DockerEnvironmentOptions(), name => variables.GetValueOrDefault(name));

        arguments.Should().Equal(new Dictionary<string, string>
        {
            ["CP_IMAGE"] = "registry.example.com/hub-mirror/confluentinc/cp-kafka-connect",
            ["CONNECTOR_BASE_URL"] = "https://artifacts.example.com/connectors",
            ["MYSQL_DRIVER_BASE_URL"] = "https://artifacts.example.com/connectors",
            ["S3_CONNECTOR_BASE_URL"] = "https://artifacts.example.com/connectors",
            ["ELASTICSEARCH_CONNECTOR_BASE_URL"] = "https://artifacts.example.com/connectors",
        });
        ContainerSettings.ConnectBuildArguments(new DockerEnvironmentOptions(), _ => null).Should().BeEmpty("without mirrors or the opt-in the Dockerfile's defaults apply");
        File.ReadAllText(Path.Combine(ConnectFolder, "Dockerfile")).Should().Contain($"ARG CP_IMAGE={ContainerSettings.ConnectBaseImage}\n").And.Contain("FROM ${CP_IMAGE}:${CP_VERSION}");
    }

    [Fact]
    public void ConnectBuildArguments_EveryArchiveBaseUrl_IsAnArgumentTheDockerfileDownloadsFrom()
    {
        var dockerfile = File.ReadAllText(Path.Combine(ConnectFolder, "Dockerfile"));

        foreach (var argument in ContainerSettings.ConnectArchiveBaseUrlArguments)
        {
            dockerfile.Should().Contain($"ARG {argument}=").And.Contain($"CONNECTOR_BASE_URL=\"${{{argument}}}\"", "a mirror must reach every archive the image installs, not only the JDBC sink's");
        }

        Regex.Matches(dockerfile, @"CONNECTOR_BASE_URL=""\$\{(?<argument>[A-Z0-9_]+)\}""").Select(m => m.Groups["argument"].Value)
            .Should().BeEquivalentTo(ContainerSettings.ConnectArchiveBaseUrlArguments, "every download's base URL is one the mirror variable sets");
    }

    [Theory]
    [InlineData(false, null, false)]
    [InlineData(false, "0", false)]
    [InlineData(false, "1", true)]
    [InlineData(true, null, true)]
    public void ConnectBuildArguments_UnpinnedArchives_AreAllowedOnlyByTheOptionOrTheVariable(bool option, string? variable, bool allowed)
    {
        var options = new DockerEnvironmentBuilder().WithUnpinnedConnectorArchivesAllowed(option).Options;

        var arguments = ContainerSettings.ConnectBuildArguments(options, name => name == DockerEnvironmentOptions.AllowUnpinnedConnectorsVariable ? variable : null);

        if (allowed)
        {
            arguments.Should().Contain("ALLOW_UNPINNED_CONNECTOR", "1");
        }
        else
        {
            arguments.Should().NotContainKey("ALLOW_UNPINNED_CONNECTOR");
        }

        File.ReadAllText(Path.Combine(ConnectFolder, "Dockerfile")).Should().Contain("ARG ALLOW_UNPINNED_CONNECTOR=0\n", "the image installs nothing unverified by default");
    }

    [Fact]
    public void Compose_ConnectBuild_TakesTheSameOptInAndDefaultsToVerifiedArchivesOnly()
    {
        var compose = File.ReadAllText(Path.Combine(ConnectFolder, "..", "compose.yaml"));

        compose.Should().Contain("ALLOW_UNPINNED_CONNECTOR: ${" + DockerEnvironmentOptions.AllowUnpinnedConnectorsVariable + ":-0}");
    }

    [Fact]
    public async Task InstallScript_PinnedArchive_UnpacksItsJarsIntoThePluginFolder()
    {
        using var work = new TempFolder();
        var sha = CreateArchive(work.Path);
        await File.WriteAllTextAsync(Path.Combine(work.Path, "pin"), $"# reviewed\n{sha}  {Archive}\n", TestContext.Current.CancellationToken);

        var (exitCode, output) = await InstallAsync(work.Path);

        exitCode.Should().Be(0, output);
        File.Exists(Path.Combine(work.Path, "plugins", "vendor-sink-1.2.3", "lib", "vendor-sink.jar")).Should().BeTrue(output);
        output.Should().Contain($"sha256 {sha}");
    }

    [Fact]
    public async Task InstallScript_DifferentChecksum_StopsTheBuildEvenWhenUnpinnedArchivesAreAllowed()
    {
        using var work = new TempFolder();
        var sha = CreateArchive(work.Path);
        var wrong = new string('0', 64);
        await File.WriteAllTextAsync(Path.Combine(work.Path, "pin"), $"{wrong}  {Archive}\n", TestContext.Current.CancellationToken);

        var (exitCode, output) = await InstallAsync(work.Path, allowUnpinned: true);

        exitCode.Should().NotBe(0);
        output.Should().Contain($"{Archive} has SHA-256 {sha}, but {Path.Combine(work.Path, "pin")} pins {wrong}; the download is not the reviewed archive");
        Directory.Exists(Path.Combine(work.Path, "plugins")).Should().BeFalse("nothing is installed from an archive that is not the reviewed one");
    }

    [Fact]
    public async Task InstallScript_Unpinned_StopsAndPrintsTheChecksumToPin()
    {
        using var work = new TempFolder();
        var sha = CreateArchive(work.Path);
        await File.WriteAllTextAsync(Path.Combine(work.Path, "pin"), $"unpinned  {Archive}\n", TestContext.Current.CancellationToken);

        var (exitCode, output) = await InstallAsync(work.Path);
        var (allowedExitCode, allowedOutput) = await InstallAsync(work.Path, allowUnpinned: true);

        exitCode.Should().NotBe(0);
        output.Should().Contain($"write '{sha}  {Archive}' in {Path.Combine(work.Path, "pin")}").And.Contain("ALLOW_UNPINNED_CONNECTOR=1");
        allowedExitCode.Should().Be(0, allowedOutput);
        allowedOutput.Should().Contain("WARNING, installing unverified");
    }

    [Fact]
    public async Task InstallScript_EveryInstalledArchive_IsRecordedInTheManifestWithItsDigestAndWhetherAPinVerifiedIt()
    {
        using var work = new TempFolder();
        var sha = CreateArchive(work.Path);
        var jar = Path.Combine(work.Path, "driver-9.9.jar");
        await File.WriteAllTextAsync(jar, "not really a driver", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(work.Path, "pin"), $"{sha}  {Archive}\n", TestContext.Current.CancellationToken);
        var manifest = Path.Combine(work.Path, "image", "archives.txt");

        var (pinnedExit, pinnedOutput) = await InstallAsync(work.Path, manifest: manifest);
        await File.WriteAllTextAsync(Path.Combine(work.Path, "pin"), "unpinned  driver-9.9.jar\n", TestContext.Current.CancellationToken);
        var (unpinnedExit, unpinnedOutput) = await InstallAsync(work.Path, allowUnpinned: true, manifest: manifest);

        pinnedExit.Should().Be(0, pinnedOutput);
        unpinnedExit.Should().Be(0, unpinnedOutput);
        var archives = ConnectImageRecipe.ParseManifest(await File.ReadAllTextAsync(manifest, TestContext.Current.CancellationToken));
        archives.Should().Equal(
            new ConnectorArchive(sha, Archive, Pinned: true, "pin"),
            new ConnectorArchive(Sha256(jar), "driver-9.9.jar", Pinned: false, "pin"));
        unpinnedOutput.Should().Contain(Sha256(jar), "the build output names the digest of what it installed unverified");
    }

    [Fact]
    public async Task InstallScript_RefusedArchive_IsNotRecordedInTheManifest()
    {
        using var work = new TempFolder();
        CreateArchive(work.Path);
        await File.WriteAllTextAsync(Path.Combine(work.Path, "pin"), $"unpinned  {Archive}\n", TestContext.Current.CancellationToken);
        var manifest = Path.Combine(work.Path, "archives.txt");

        var (exitCode, _) = await InstallAsync(work.Path, manifest: manifest);

        exitCode.Should().NotBe(0);
        File.Exists(manifest).Should().BeFalse();
    }

    [Fact]
    public void InstallScript_DefaultManifest_IsTheFileTheEnvironmentReads() =>
        File.ReadAllText(Path.Combine(ConnectFolder, "install-connector.sh")).Should().Contain("manifest=${3:-" + ConnectImageRecipe.ManifestPath + "}");

    [Fact]
    public async Task InstallScript_ArchiveWithoutJars_IsNotAPlugin()
    {
        using var work = new TempFolder();
        var path = Path.Combine(work.Path, Archive);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            zip.CreateEntry("vendor-sink-1.2.3/README.md");
        }

        await File.WriteAllTextAsync(Path.Combine(work.Path, "pin"), $"{Sha256(path)}  {Archive}\n", TestContext.Current.CancellationToken);

        var (exitCode, output) = await InstallAsync(work.Path);

        exitCode.Should().NotBe(0);
        output.Should().Contain("holds no jar");
    }

    [Fact]
    public async Task InstallScript_PinnedDriverJar_IsCopiedIntoThePluginFolderAsItIs()
    {
        using var work = new TempFolder();
        var jar = Path.Combine(work.Path, "driver-9.9.jar");
        await File.WriteAllTextAsync(jar, "not really a driver", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(work.Path, "pin"), $"{Sha256(jar)}  driver-9.9.jar\n", TestContext.Current.CancellationToken);

        var (exitCode, output) = await InstallAsync(work.Path);

        exitCode.Should().Be(0, output);
        File.ReadAllText(Path.Combine(work.Path, "plugins", "driver-9.9.jar")).Should().Be("not really a driver");
    }

    private static string CreateArchive(string folder)
    {
        var path = Path.Combine(folder, Archive);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var jar = new StreamWriter(zip.CreateEntry("vendor-sink-1.2.3/lib/vendor-sink.jar").Open());
            jar.Write("not really a jar");
        }

        return Sha256(path);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static async Task<(int ExitCode, string Output)> InstallAsync(string folder, bool allowUnpinned = false, string? manifest = null)
    {
        if (!File.Exists("/bin/sh"))
        {
            Assert.Skip("No /bin/sh: the Connect image's install script runs in a Linux container.");
        }

        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(ConnectFolder, "install-connector.sh"));
        start.ArgumentList.Add(Path.Combine(folder, "pin"));
        start.ArgumentList.Add(Path.Combine(folder, "plugins"));
        start.ArgumentList.Add(manifest ?? Path.Combine(folder, "manifest.txt"));
        start.Environment["CONNECTOR_BASE_URL"] = new Uri(folder + Path.DirectorySeparatorChar).AbsoluteUri.TrimEnd('/');
        start.Environment["ALLOW_UNPINNED_CONNECTOR"] = allowUnpinned ? "1" : "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"^ARG JDBC_CONNECTOR_VERSION=(?<version>\S+)$", RegexOptions.Multiline)]
    private static partial Regex ArgumentDefault();

    [GeneratedRegex(@"^(?<sha>[^#\s]\S*)\s+(?<archive>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PinnedArchive();
}
