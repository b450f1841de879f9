using SinkIdempotency.Cli.Reports;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Cli.Tests.Run;

/// <summary>Everyday use of the tool: its name in help, teams' own .NET sinks (--plugin-path, plugins:), and a reused --out folder.</summary>
public sealed class PluginAndOutputFolderTests : IDisposable
{
    private const string ScenarioYaml = """
        name: my-sink-crash
        connector:
          config:
            connector.class: MyTeam.Sinks.OrdersSink
        declared: exactly-once-effect
        fault: { kind: crash-after-target-write }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Help_ShowsTheToolCommandNotTheAssemblyName()
    {
        var (code, output, _) = await Support.Cli.InvokeAsync(new FakeSessions(s => Results.Make(s, Verdict.Green)), null, "--help");
        var (runCode, runOutput, _) = await Support.Cli.InvokeAsync(new FakeSessions(s => Results.Make(s, Verdict.Green)), null, "run", "--help");

        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("sink-idempotency [command] [options]").And.NotContain("SinkIdempotency.Cli");
        runCode.Should().Be(ExitCodes.Ok);
        runOutput.Should().Contain("sink-idempotency run [options]").And.Contain("--plugin-path");
    }

    [Fact]
    public async Task Run_PluginPathRepeated_PassesEveryPathToTheEmbeddedEnvironment()
    {
        var first = Directory.CreateDirectory(Path.Combine(_folder.Path, "sinks-a")).FullName;
        var second = Path.Combine(_folder.Path, "sink-b.dll");
        await File.WriteAllTextAsync(second, "", TestContext.Current.CancellationToken);
        var sessions = new FakeSessions(s => Results.Make(s, Verdict.Green));

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "replay/postgres-upsert", "--plugin-path", first, "--plugin-path", second);

        code.Should().Be(ExitCodes.Ok, error);
        sessions.StartedSettings!.PluginPaths.Should().Equal(first, second);
    }

    [Fact]
    public async Task Run_PluginPathMissing_IsAUsageErrorNamingThePath()
    {
        var missing = Path.Combine(_folder.Path, "no-such-sink.dll");
        var sessions = new FakeSessions(_ => throw new InvalidOperationException("nothing may run"));

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--plugin-path", missing);

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain($"--plugin-path '{missing}' does not exist");
        sessions.StartedKind.Should().BeNull();
    }

    [Fact]
    public async Task Run_PluginPathWithDocker_IsAUsageErrorSayingWhy()
    {
        var sessions = new FakeSessions(_ => throw new InvalidOperationException("nothing may run"));

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--env", "docker", "--plugin-path", _folder.Path);

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain("--plugin-path loads .NET sinks into the embedded workers").And.Contain("--env docker");
    }

    [Fact]
    public async Task Run_ScenarioFileListsPlugins_LoadsThemRelativeToTheFileAlongWithPluginPath()
    {
        var scenarios = Directory.CreateDirectory(Path.Combine(_folder.Path, "scenarios")).FullName;
        var fromFile = Directory.CreateDirectory(Path.Combine(scenarios, "plugins", "orders")).FullName;
        var fromOption = Directory.CreateDirectory(Path.Combine(_folder.Path, "more")).FullName;
        var file = Path.Combine(scenarios, "my-sink.yaml");
        await File.WriteAllTextAsync(file, ScenarioYaml + "\nplugins: [plugins/orders]\n", TestContext.Current.CancellationToken);
        var sessions = new FakeSessions(s => Results.Make(s, Verdict.Green));

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--scenario", file, "--plugin-path", fromOption);

        code.Should().Be(ExitCodes.Ok, error);
        sessions.StartedSettings!.PluginPaths.Should().Equal(fromOption, fromFile);
    }

    [Fact]
    public async Task Run_ScenarioFilePluginMissing_IsAScenarioFileErrorWithTheResolvedPath()
    {
        var file = Path.Combine(_folder.Path, "my-sink.yaml");
        await File.WriteAllTextAsync(file, ScenarioYaml + "\nplugins:\n  - plugins/typo\n", TestContext.Current.CancellationToken);
        var sessions = new FakeSessions(_ => throw new InvalidOperationException("nothing may run"));

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--scenario", file);

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain("plugins").And.Contain("'plugins/typo'").And.Contain(Path.Combine(_folder.Path, "plugins", "typo")).And.Contain("does not exist");
        sessions.StartedKind.Should().BeNull();
    }

    [Fact]
    public async Task Run_ScenarioFilePluginsWithDocker_IsAUsageError()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "plugins"));
        var file = Path.Combine(_folder.Path, "my-sink.yaml");
        await File.WriteAllTextAsync(file, ScenarioYaml + "\nplugins: plugins\n", TestContext.Current.CancellationToken);
        var sessions = new FakeSessions(_ => throw new InvalidOperationException("nothing may run"));

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--env", "docker", "--scenario", file);

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain("lists plugins:").And.Contain("--env embedded");
        sessions.StartedKind.Should().BeNull();
    }

    [Fact]
    public async Task Run_OutFolderReused_HoldsOnlyTheNewRunsEvidenceAndKeepsFilesTheToolDidNotWrite()
    {
        var folder = Path.Combine(_folder.Path, "results");
        Directory.CreateDirectory(folder);
        var mine = Path.Combine(folder, "notes.txt");
        await File.WriteAllTextAsync(mine, "kept", TestContext.Current.CancellationToken);
        var first = await Support.Cli.InvokeAsync(new FakeSessions(s => Results.Make(s, Verdict.Green)), null, "run", "--filter", "replay/postgres-*", "--out", folder);
        first.Code.Should().Be(ExitCodes.Ok, first.Error);
        Directory.GetFiles(Path.Combine(folder, ReportWriter.EvidenceFolder)).Select(Path.GetFileName).Should().BeEquivalentTo("replay-postgres-insert.json", "replay-postgres-upsert.json");

        var second = await Support.Cli.InvokeAsync(new FakeSessions(s => Results.Make(s, Verdict.Green)), null, "run", "--filter", "target-timeout/postgres-upsert", "--out", folder);

        second.Code.Should().Be(ExitCodes.Ok, second.Error);
        Directory.GetFiles(Path.Combine(folder, ReportWriter.EvidenceFolder)).Select(Path.GetFileName).Should().Equal("target-timeout-postgres-upsert.json");
        File.ReadAllText(Path.Combine(folder, "scorecard.json")).Should().Contain("target-timeout/postgres-upsert").And.NotContain("replay/");
        File.ReadAllText(mine).Should().Be("kept");
        File.ReadAllLines(Path.Combine(folder, OutputManifest.FileName)).Should().Contain("evidence/target-timeout-postgres-upsert.json").And.NotContain("notes.txt");
    }

    [Fact]
    public void Prepare_ManifestLineLeadingOutsideTheFolder_IsIgnored()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder.Path, "out")).FullName;
        var outside = Path.Combine(_folder.Path, "precious.txt");
        File.WriteAllText(outside, "kept");
        File.WriteAllText(Path.Combine(folder, OutputManifest.FileName), "../precious.txt\n");

        OutputManifest.Prepare(folder);

        File.Exists(outside).Should().BeTrue();
    }
}
