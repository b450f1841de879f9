using System.Text.Json.Nodes;
using SinkIdempotency.Cli.Matrix;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Environments;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Run;

/// <summary>Runs the command against a fake runner (canned results): selection, exit codes, console scorecard, step summary.</summary>
public sealed class RunExecutionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ScenarioResult BadRedGoodGreen(Scenario scenario) =>
        scenario.Name.EndsWith(ReferenceMatrix.InsertColumn, StringComparison.Ordinal)
            ? Results.Make(scenario, Verdict.Red, duplicated: 41)
            : Results.Make(scenario, Verdict.Green);

    [Fact]
    public async Task Run_BuiltInMatrix_RunsEveryColumnOfEveryTargetAndSaysHowManyLanes()
    {
        var sessions = new FakeSessions(BadRedGoodGreen);

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run");

        code.Should().Be(ExitCodes.Red, error);
        sessions.StartedKind.Should().Be(EnvironmentKind.Embedded);
        sessions.Disposed.Should().BeTrue();
        sessions.Ran.Should().BeEquivalentTo(BuiltInMatrix.AllTargetEntries.Select(e => e.Name)).And.HaveCount(72).And.OnlyHaveUniqueItems();
        output.Should().Contain("[1/72] crash-after-target-write/postgres-insert red: 41 duplicated (1.5 s)");
        output.Should().Contain($"{RunSettings.DefaultParallel(EnvironmentKind.Embedded, Environment.ProcessorCount)} lane(s) (default for {Environment.ProcessorCount} core(s): {RunSettings.DefaultLanesPerCore} per core, at most {RunSettings.DefaultParallelCeiling}; change with --parallel)");
        output.Should().Contain("72 run(s) on fake");
        output.Should().Contain("9 red, 0 yellow, 63 green, 0 skipped, 0 error.");
    }

    [Fact]
    public async Task Run_FilterOnThePostgreSqlColumns_RunsThemAndPrintsTheScorecardTable()
    {
        var sessions = new FakeSessions(BadRedGoodGreen);

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "*/postgres-*", "--parallel", "1");

        code.Should().Be(ExitCodes.Red, error);
        sessions.Ran.Should().Equal(BuiltInMatrix.Entries.Select(e => e.Name));
        output.Should().Contain("1 lane(s) (--parallel).");
        var table = output[output.IndexOf("Scorecard", StringComparison.Ordinal)..];
        foreach (var fault in new[] { "crash-after-target-write", "crash-after-offset-commit", "target-timeout", "offset-commit-timeout", "offset-commit-refused", "fetch-stall", "rebalance", "schema-break", "replay" })
        {
            table.Should().MatchRegex($@"\| {fault} +\| red: 41 duplicated +\| green: 1000 records, no anomaly +\|");
        }

        output.Should().Contain("18 run(s) on fake");
        output.Should().Contain("9 red, 0 yellow, 9 green, 0 skipped, 0 error.");
    }

    [Fact]
    public async Task Run_FaultNotInjectedBesideOtherLanes_RunsTheCellAgainAloneAndSaysSo()
    {
        var attempts = 0;
        var sessions = new FakeSessions(s =>
        {
            if (s.Name != "replay/postgres-insert")
            {
                return Results.Make(s, Verdict.Green);
            }

            // The first attempt could not land the fault; the second, alone, did.
            return Interlocked.Increment(ref attempts) == 1
                ? Results.Make(s, Verdict.Red, outcome: ScenarioOutcome.FaultNotInjected) with { Reasons = ["The fault was not injected: the observations were too coarse."] }
                : Results.Make(s, Verdict.Red, duplicated: 1000);
        })
        { Delay = TimeSpan.FromMilliseconds(20) };

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "replay/postgres-*", "--parallel", "2", "--out", _folder.Path);

        code.Should().Be(ExitCodes.Red, error);
        attempts.Should().Be(2);
        sessions.Ran.Should().BeEquivalentTo("replay/postgres-insert", "replay/postgres-upsert", "replay/postgres-insert");
        sessions.DisposedCount.Should().Be(2, "the second lane stops before the cell runs again, the first at the end");
        output.Should().Contain("2 run(s) on fake");
        var cell = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder.Path, "scorecard.json")))!["scenarios"]!.AsArray().Single(c => (string)c!["name"]! == "replay/postgres-insert")!;
        ((string)cell["headline"]!).Should().Be("red: 1000 duplicated");
        cell["reasons"]!.AsArray().Select(r => (string)r!).Should().Equal("Ran again alone: the first attempt, beside 1 other lane(s), could not inject the fault. The fault was not injected: the observations were too coarse.");
    }

    [Fact]
    public async Task Run_FaultNotInjectedOnOneLane_KeepsTheVerdict()
    {
        var sessions = new FakeSessions(s => Results.Make(s, Verdict.Red, outcome: ScenarioOutcome.FaultNotInjected) with { Reasons = ["The fault was not injected: no window."] });

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "replay/postgres-insert", "--parallel", "1");

        code.Should().Be(ExitCodes.Red, error);
        sessions.Ran.Should().Equal("replay/postgres-insert");
    }

    [Fact]
    public async Task Run_AllTargetsWithARefusedCell_ShowsItAsNotApplicableWithTheReasonAndRunsTheRest()
    {
        var sessions = new FakeSessions(s => s.Target.Kind is "http-plain" && s.Fault is not SinkIdempotency.Faults.CrashAfterOffsetCommit ? Results.Make(s, Verdict.Red, duplicated: 3) : Results.Make(s, Verdict.Green))
        {
            CheckScenario = s =>
            {
                if (s.Target.Kind.StartsWith("files", StringComparison.Ordinal) && s.Fault is SinkIdempotency.Faults.TargetTimeout)
                {
                    throw new ScenarioConfigurationException("target.kind", $"Scenario '{s.Name}' cannot run the fault target-timeout on its {s.Target.Kind} target: it has no network path.");
                }
            },
        };

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "*/files-*");

        code.Should().Be(ExitCodes.Ok, error);
        sessions.Ran.Should().HaveCount(16).And.NotContain(n => n.StartsWith("target-timeout/", StringComparison.Ordinal));
        var table = output[output.IndexOf("Scorecard", StringComparison.Ordinal)..];
        table.Should().MatchRegex(@"\| target-timeout +\| n/a \(the target refuses");
        output.Should().Contain("16 green, 0 skipped, 0 error, 2 n/a.");
        output.Should().Contain("n/a target-timeout/files-deterministic (files-deterministic target): Scenario 'target-timeout/files-deterministic' cannot run the fault target-timeout");
    }

    [Fact]
    public async Task Run_EveryCellNotApplicable_ProvesNothingAndExitsNothingRan()
    {
        var sessions = new FakeSessions(s => Results.Make(s, Verdict.Green))
        {
            CheckScenario = s => throw new ScenarioConfigurationException("target.kind", $"Scenario '{s.Name}' is refused by its target."),
        };

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "replay/*");

        code.Should().Be(ExitCodes.NothingRan, "a cell its target refuses is no proof");
        sessions.Ran.Should().BeEmpty();
        error.Should().Contain("No scenario ran");
    }

    [Fact]
    public async Task Run_Parallel_RunsEachScenarioOnceAcrossSeparateEnvironmentsAndKeepsMatrixOrder()
    {
        var sessions = new FakeSessions(BadRedGoodGreen) { Delay = TimeSpan.FromMilliseconds(100) };
        var folder = _folder.Path;

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--parallel", "3", "--out", folder);

        code.Should().Be(ExitCodes.Red, error);
        sessions.WorkDirectories.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        sessions.MaxConcurrent.Should().BeGreaterThan(1, "three environments run scenarios at the same time");
        sessions.Ran.Should().BeEquivalentTo(BuiltInMatrix.AllTargetEntries.Select(e => e.Name)).And.OnlyHaveUniqueItems();
        sessions.Disposed.Should().BeTrue("every environment is stopped");
        var names = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "scorecard.json")))!["scenarios"]!.AsArray().Select(s => (string)s!["name"]!);
        names.Should().Equal(BuiltInMatrix.AllTargetEntries.Select(e => e.Name), "the scorecard keeps the matrix order whatever finished first");
        output.Should().Contain("72 run(s) on fake");
    }

    [Fact]
    public async Task Run_ParallelAndAnEnvironmentFailsToStart_StopsTheStartedOnesAndExits2()
    {
        var sessions = new FakeSessions(BadRedGoodGreen) { StartFailure = new EnvironmentUnavailableException("PostgreSQL would not start."), FailingStart = 2, Delay = TimeSpan.FromMilliseconds(50) };

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--parallel", "2", "--filter", "*/postgres-*");

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain("Lane 2 of 2 could not start, so the run stopped after").And.Contain("PostgreSQL would not start.");
        sessions.Ran.Count.Should().BeLessThan(18, "the run stops when a lane cannot start");
        sessions.WorkDirectories.Should().ContainSingle();
        sessions.Disposed.Should().BeTrue("the first environment is stopped when the second cannot start");
    }

    [Fact]
    public async Task Run_FirstEnvironmentFailsToStart_StartsNoOtherAndExits2()
    {
        var sessions = new FakeSessions(BadRedGoodGreen) { StartFailure = new EnvironmentUnavailableException("PostgreSQL would not start."), FailingStart = 1 };

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--parallel", "4");

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Be("PostgreSQL would not start." + Environment.NewLine);
        sessions.Ran.Should().BeEmpty();
        sessions.WorkDirectories.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_ParallelLargerThanTheMatrix_StartsOnlyAsManyEnvironmentsAsScenarios()
    {
        var sessions = new FakeSessions(BadRedGoodGreen);

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--parallel", "8", "--filter", "replay/postgres-*");

        code.Should().Be(ExitCodes.Red, error);
        sessions.WorkDirectories.Should().HaveCount(2);
        sessions.Ran.Should().BeEquivalentTo("replay/postgres-insert", "replay/postgres-upsert");
    }

    [Fact]
    public async Task Run_OnlyGreenYellowAndSkipped_ExitsZero()
    {
        var sessions = new FakeSessions(s => s.Fault is SinkIdempotency.Faults.Replay
            ? Results.Make(s, null, skipReason: "Replay needs the offsets API.")
            : s.Name.Contains("insert", StringComparison.Ordinal) ? Results.Make(s, Verdict.Yellow, duplicated: 3) : Results.Make(s, Verdict.Green));

        var (code, output, _) = await Support.Cli.InvokeAsync(sessions, null, "run");

        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("yellow: 3 duplicated").And.Contain("skipped");
    }

    [Fact]
    public async Task Run_Filter_RunsOnlyMatchingScenarios()
    {
        var sessions = new FakeSessions(s => Results.Make(s, Verdict.Green));

        var (code, _, _) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "replay/postgres-*");

        code.Should().Be(ExitCodes.Ok);
        sessions.Ran.Should().Equal("replay/postgres-insert", "replay/postgres-upsert");
    }

    [Fact]
    public async Task Run_FilterMatchingNothing_IsAUsageErrorListingTheScenarios()
    {
        var sessions = new FakeSessions(s => Results.Make(s, Verdict.Green));

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "kafka-streams");

        code.Should().Be(ExitCodes.UsageError);
        error.Should().StartWith("No scenario matches --filter 'kafka-streams'. The scenarios are: crash-after-target-write/postgres-insert, ");
        sessions.StartedKind.Should().BeNull();
    }

    [Fact]
    public async Task Run_List_PrintsTheMatrixWithoutStartingAnEnvironment()
    {
        var sessions = new FakeSessions(_ => throw new InvalidOperationException("--list runs nothing"));

        var (code, output, _) = await Support.Cli.InvokeAsync(sessions, null, "run", "--list", "--filter", "schema-break/postgres");

        code.Should().Be(ExitCodes.Ok);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "schema-break/postgres-insert\tschema-break\tpostgres-insert\texactly-once-effect\tbuilt-in",
            "schema-break/postgres-upsert\tschema-break\tpostgres-upsert\texactly-once-effect\tbuilt-in");
        sessions.StartedKind.Should().BeNull();
    }

    [Fact]
    public async Task Run_Repeat_RunsEachScenarioNTimesAndShowsTheSpread()
    {
        var calls = 0;
        var sessions = new FakeSessions(s => ++calls == 2 ? Results.Make(s, Verdict.Red, duplicated: 5) : Results.Make(s, Verdict.Green));

        var (code, output, _) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "crash-after-target*postgres-insert", "--repeat", "3");

        code.Should().Be(ExitCodes.Red);
        sessions.Ran.Should().HaveCount(3);
        output.Should().Contain("red: 5 duplicated (3 runs: 1 red, 2 green)");
    }

    [Fact]
    public async Task Run_EnvironmentUnavailable_ExitsWithUsageErrorAndTheMessage()
    {
        var sessions = new FakeSessions(s => Results.Make(s, Verdict.Green)) { StartFailure = new EnvironmentUnavailableException("Start Docker or run with --env embedded.") };

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--env", "docker");

        code.Should().Be(ExitCodes.UsageError);
        error.TrimEnd().Should().Be("Start Docker or run with --env embedded.");
        output.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_ScenarioFailsInTheEnvironment_RecordsAnErrorCellAndExitsTwo()
    {
        var sessions = new FakeSessions(s => s.Name.StartsWith("rebalance", StringComparison.Ordinal)
            ? throw new ScenarioEnvironmentException("Connector did not reach RUNNING.")
            : Results.Make(s, Verdict.Green));

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "*/postgres-*");

        code.Should().Be(ExitCodes.UsageError);
        sessions.Ran.Should().HaveCount(18, "one failing scenario does not stop the matrix");
        output.Should().MatchRegex(@"\| rebalance +\| error +\| error +\|");
        error.Should().Contain("rebalance/postgres-insert: the environment failed: Connector did not reach RUNNING.");
    }

    [Fact]
    public async Task Run_RedWinsOverEnvironmentErrors_ExitsOne()
    {
        var sessions = new FakeSessions(s => s.Name.StartsWith("rebalance", StringComparison.Ordinal)
            ? throw new ScenarioEnvironmentException("boom")
            : BadRedGoodGreen(s));

        var (code, _, _) = await Support.Cli.InvokeAsync(sessions, null, "run");

        code.Should().Be(ExitCodes.Red);
    }

    [Fact]
    public async Task Run_Cancelled_StopsWritesWhatRanAndExitsTwo()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var sessions = new FakeSessions(s =>
        {
            if (s.Name.StartsWith("rebalance", StringComparison.Ordinal))
            {
                stop.Cancel();
                stop.Token.ThrowIfCancellationRequested();
            }

            return Results.Make(s, Verdict.Green);
        });
        var output = new SynchronizedStringWriter();
        var error = new SynchronizedStringWriter();
        var outDir = Path.Combine(_folder.Path, "out");

        // One lane: with the default of one lane per core, how many runs the other lane finished before the cancel is a race.
        var code = await CliApplication.InvokeAsync(["run", "--parallel", "1", "--out", outDir], output, error, new CliServices { Sessions = sessions, GetVariable = _ => null }, stop.Token);

        code.Should().Be(ExitCodes.UsageError);
        error.ToString().Should().Contain("Interrupted after 12 of 72 run(s)");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "scorecard.json")))!;
        json["scenarios"]!.AsArray().Should().HaveCount(12);
        sessions.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task Run_GitHubStepSummarySet_AppendsTheMarkdownScorecard()
    {
        var summary = _folder.File("summary.md", "# earlier step\n");
        var sessions = new FakeSessions(BadRedGoodGreen);

        var (code, output, _) = await Support.Cli.InvokeAsync(sessions, new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = summary }, "run", "--filter", "crash");

        code.Should().Be(ExitCodes.Red);
        var text = File.ReadAllText(summary);
        text.Should().StartWith("# earlier step\n## Sink idempotency scorecard");
        text.Should().Contain("| failure case | postgres-insert | postgres-upsert |");
        text.Should().Contain("| crash-after-target-write | 🔴 red: 41 duplicated | 🟢 green: 1000 records, no anomaly |");
        output.Should().Contain("Step summary: appended");
    }
}
