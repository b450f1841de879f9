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
    public async Task Run_ReplayRowOfTheBuiltInMatrixOnEmbedded_InsertIsRedUpsertIsGreenAndReportsAreWritten()
    {
        var outDir = Path.Combine(_folder.Path, "out");

        var (code, output, error) = await Support.Cli.InvokeAsync(new EnvironmentSessionFactory(), null, "run", "--filter", "replay/*", "--out", outDir);

        code.Should().Be(ExitCodes.Red, output + error);
        output.Should().MatchRegex(@"\| replay +\| red: 1000 duplicated +\| green: 1000 records, no anomaly +\|");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "scorecard.json")))!;
        JsonSchemaCheck.Validate(json, ReportFilesTests.Schema()).Should().BeEmpty();
        json["environment"]!.GetValue<string>().Should().Be("embedded");
        json["scenarios"]!.AsArray().Select(s => s!["verdict"]!.GetValue<string>()).Should().Equal("red", "green");
        File.ReadAllBytes(Path.Combine(outDir, "plots", "replay-postgres-insert.png")).Take(4).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        File.Exists(Path.Combine(outDir, "evidence", "replay-postgres-upsert.json")).Should().BeTrue();
        File.ReadAllText(Path.Combine(outDir, "report.html")).Should().Contain("fault action at");
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
