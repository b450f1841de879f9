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

    /// <remarks>
    /// The replay row acts on a settled pipeline, so its answer does not depend on timing; the crash row's trigger can
    /// miss its window on a loaded machine (then the cell is honestly "red: fault not injected").
    /// </remarks>
    [Fact]
    public async Task Run_ReplayRowOfTheBuiltInMatrixOnEmbedded_EveryKnownBadColumnIsRedEveryKnownGoodOneGreenAndReportsAreWritten()
    {
        var outDir = Path.Combine(_folder.Path, "out");

        // Eight lanes on one broker, PostgreSQL, MariaDB and HTTP target server, one cell each: the shared servers must keep the cells apart.
        var (code, output, error) = await Support.Cli.InvokeAsync(new EnvironmentSessionFactory(), null, "run", "--filter", "replay/*", "--parallel", "8", "--out", outDir);

        code.Should().Be(ExitCodes.Red, output + error);
        output.Should().Contain("8 lane(s) (--parallel): each with a Connect worker of its own, sharing the broker and the target servers.");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "scorecard.json")))!;
        JsonSchemaCheck.Validate(json, ReportFilesTests.Schema()).Should().BeEmpty();
        json["environment"]!.GetValue<string>().Should().Be("embedded");
        var cells = json["scenarios"]!.AsArray();
        cells.Select(s => s!["connector"]!.GetValue<string>()).Should().Equal("postgres-insert", "postgres-upsert", "files-append", "files-deterministic", "http-plain", "http-idempotency-key", "mysql-insert", "mysql-upsert");
        cells.Select(s => s!["target"]!.GetValue<string>()).Should().Equal("postgres", "postgres", "files-append", "files-deterministic", "http-plain", "http-idempotency-key", "mysql", "mysql");
        cells.Select(s => s!["headline"]!.GetValue<string>()).Should().Equal(
            "red: 1000 duplicated", "green: 1000 records, no anomaly", "red: 1000 duplicated", "green: 1000 records, no anomaly",
            "red: 1000 duplicated", "green: 1000 records, no anomaly", "red: 1000 duplicated", "green: 1000 records, no anomaly");
        File.ReadAllBytes(Path.Combine(outDir, "plots", "replay-postgres-insert.png")).Take(4).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        File.Exists(Path.Combine(outDir, "evidence", "replay-mysql-upsert.json")).Should().BeTrue();
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        html.Should().Contain("fault action at").And.Contain("<small>(files-deterministic)</small>").And.Contain("<small>(http-idempotency-key)</small>").And.Contain("<small>(mysql)</small>");
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
    public async Task Run_ExternalEnvironmentWithoutEndpoints_ExitsTwoNamingWhatToSet()
    {
        var (code, output, error) = await Support.Cli.InvokeAsync(new EnvironmentSessionFactory(), null, "run", "--env", "external", "--filter", "replay");

        code.Should().Be(ExitCodes.UsageError);
        error.Should().StartWith("--env external is not configured:")
            .And.Contain("SINKIDEMPOTENCY_BOOTSTRAP_SERVERS (or --bootstrap-servers)")
            .And.Contain("SINKIDEMPOTENCY_CONNECT_URLS (or --connect-url)")
            .And.Contain("SINKIDEMPOTENCY_TARGET (or --target)");
        output.Should().BeEmpty();
    }
}
