using System.Text.Json.Nodes;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Cli.Tests.Reports;
using SinkIdempotency.Cli.Tests.Support;

namespace SinkIdempotency.Cli.Tests.Run;

/// <summary>Runs two built-in scenarios for real: embedded broker, worker process, local PostgreSQL, through the run command.</summary>
public sealed class EmbeddedRunTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_CrashRowOfTheBuiltInMatrixOnEmbedded_InsertIsRedUpsertIsGreenAndReportsAreWritten()
    {
        var outDir = Path.Combine(_folder.Path, "out");

        var (code, output, error) = await Support.Cli.InvokeAsync(new EnvironmentSessionFactory(), null, "run", "--filter", "crash-after-target-write/*", "--out", outDir);

        if (code == ExitCodes.UsageError && error.Contains("PostgreSQL", StringComparison.Ordinal))
        {
            Assert.Skip("The embedded environment cannot start here: " + error);
        }

        code.Should().Be(ExitCodes.Red, output + error);
        output.Should().MatchRegex(@"\| crash-after-target-write +\| red: \d+ duplicated +\| green: 1000 records, no anomaly +\|");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "scorecard.json")))!;
        JsonSchemaCheck.Validate(json, ReportFilesTests.Schema()).Should().BeEmpty();
        json["environment"]!.GetValue<string>().Should().Be("embedded");
        json["scenarios"]!.AsArray().Select(s => s!["verdict"]!.GetValue<string>()).Should().Equal("red", "green");
        File.ReadAllBytes(Path.Combine(outDir, "plots", "crash-after-target-write-postgres-insert.png")).Take(4).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        File.Exists(Path.Combine(outDir, "evidence", "crash-after-target-write-postgres-upsert.json")).Should().BeTrue();
        File.ReadAllText(Path.Combine(outDir, "report.html")).Should().Contain("kill-worker");
    }

    [Fact]
    public async Task Run_DockerEnvironment_ExitsTwoSayingWhatToDo()
    {
        var (code, output, error) = await Support.Cli.InvokeAsync(new EnvironmentSessionFactory(), null, "run", "--env", "docker");

        code.Should().Be(ExitCodes.UsageError);
        error.TrimEnd().Should().Be(EnvironmentSessionFactory.DockerMessage());
        error.Should().Contain("--env embedded");
        output.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_ExternalEnvironment_ExitsTwoSayingWhatToDo()
    {
        var (code, _, error) = await Support.Cli.InvokeAsync(new EnvironmentSessionFactory(), null, "run", "--env", "external", "--filter", "replay");

        code.Should().Be(ExitCodes.UsageError);
        error.Should().StartWith("The external environment").And.Contain("--env embedded");
    }
}
