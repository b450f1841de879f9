using System.Globalization;
using SinkIdempotency.Assessment;
using SinkIdempotency.Cli.Reports;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Cli.ScenarioFiles;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using Spectre.Console;

namespace SinkIdempotency.Cli.Assessment;

/// <summary>Executes <c>sink-idempotency assess</c>: reads the file, runs every declared connector's scenarios on one environment, asks the cluster, grades and writes the scorecard.</summary>
/// <remarks>Exit codes: 0 nothing red; 1 a red row (each red row without a remediation plan is named); 2 usage or environment error; 3 every scenario was skipped.</remarks>
internal sealed class AssessExecution(IScenarioSessionFactory sessions, TextWriter output, TextWriter error, TimeProvider timeProvider, Func<IReadOnlyDictionary<string, string>> getVariables)
{
    public async Task<int> ExecuteAsync(string file, RunSettings settings, CancellationToken cancellationToken)
    {
        LoadedAssessment loaded;
        try
        {
            loaded = await AssessmentFile.LoadAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (ScenarioFileException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        if (settings.Environment != EnvironmentKind.Embedded && loaded.Entries.FirstOrDefault(e => e.PluginPaths.Count > 0) is { } plugin)
        {
            await error.WriteLineAsync($"{plugin.Source} lists plugins:, .NET sinks only the embedded workers load; run the assessment with --env embedded.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        settings = settings with { PluginPaths = [.. loaded.Entries.SelectMany(e => e.PluginPaths).Distinct(StringComparer.Ordinal)] };
        if (settings.Environment == EnvironmentKind.External)
        {
            try
            {
                settings = settings with { External = new ExternalEnvironmentBuilder(settings.External).WithEnvironmentVariables(getVariables()).Options };
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            if (settings.External.Problems() is { Count: > 0 } problems)
            {
                await error.WriteLineAsync("--env external is not configured: " + string.Join(" ", problems)).ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        }

        string? outputDirectory = null;
        OutputManifest? manifest = null;
        if (settings.OutputDirectory is { } requested)
        {
            try
            {
                outputDirectory = Directory.CreateDirectory(requested).FullName;

                // As with run: a reused folder loses what the previous run or assessment wrote there, and nothing else.
                manifest = OutputManifest.Prepare(outputDirectory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await error.WriteLineAsync($"Cannot create the output folder '{requested}': {ex.Message} Choose another folder with --out.").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        }

        var workDirectory = outputDirectory is null
            ? Path.Combine(Path.GetTempPath(), "sink-idempotency-assess-" + Guid.NewGuid().ToString("n")[..8])
            : Path.Combine(outputDirectory, "runs");
        try
        {
            return await AssessAsync(loaded, settings, outputDirectory, workDirectory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (outputDirectory is null && Directory.Exists(workDirectory))
            {
                Directory.Delete(workDirectory, recursive: true);
            }

            manifest?.Write();
        }
    }

    private async Task<int> AssessAsync(LoadedAssessment loaded, RunSettings settings, string? outputDirectory, string workDirectory, CancellationToken cancellationToken)
    {
        IScenarioSession session;
        try
        {
            session = await sessions.StartAsync(settings, workDirectory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EnvironmentUnavailableException or OperationCanceledException)
        {
            await error.WriteLineAsync(ex is OperationCanceledException ? "Interrupted while starting the environment." : ex.Message).ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var startedAt = timeProvider.GetUtcNow();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var runs = new List<AssessedRun>();
        var entries = new List<ScorecardEntry>();
        KafkaLayerFacts facts;
        DualRunResult? dualRun = null;
        var environmentName = session.EnvironmentName;
        await using (session.ConfigureAwait(false))
        {
            foreach (var entry in loaded.Entries)
            {
                try
                {
                    session.Check(entry.Scenario);
                }
                catch (ScenarioConfigurationException ex)
                {
                    await error.WriteLineAsync($"{entry.Source}: {ex.Message}").ConfigureAwait(false);
                    return ExitCodes.UsageError;
                }
            }

            try
            {
                foreach (var entry in loaded.Entries)
                {
                    await output.WriteLineAsync($"running {entry.Connector} / {entry.Name} [{entry.Scenario.Fault?.Name ?? "none"}]").ConfigureAwait(false);
                    var (run, scored) = await RunOneAsync(session, entry.Connector, entry.Scenario, outputDirectory, cancellationToken).ConfigureAwait(false);
                    runs.Add(run);
                    entries.Add(scored);
                }

                if (loaded.Definition is { LegacyConnector: { } legacy, NewConnector: { } next })
                {
                    await output.WriteLineAsync($"running rollback dual run: {legacy.GetValueOrDefault("name", "legacy")} beside {next.GetValueOrDefault("name", "new")}").ConfigureAwait(false);
                    dualRun = await session.RunDualAsync(legacy, next, cancellationToken).ConfigureAwait(false);
                }

                facts = await session.ReadKafkaLayerAsync(loaded.Definition, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"Interrupted after {runs.Count} of {loaded.Entries.Count} scenario(s); no scorecard is written for a partial assessment.").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        }

        var scorecard = AssessmentRunner.Grade(loaded.Definition, environmentName, timeProvider.GetUtcNow(), runs, facts, dualRun);
        WriteConsole(scorecard);
        if (outputDirectory is not null)
        {
            var matrix = new Scorecard { Environment = environmentName, StartedAt = startedAt, DurationMs = clock.ElapsedMilliseconds, Scenarios = entries };
            await ReportWriter.WriteAsync(outputDirectory, matrix, CancellationToken.None, scorecard).ConfigureAwait(false);
            await output.WriteLineAsync($"Reports: {Path.Combine(outputDirectory, ReportWriter.AssessmentJsonFile)}, {ReportWriter.AssessmentMarkdownFile}, report.html, scorecard.json, scorecard.md, {ReportWriter.EvidenceFolder}/").ConfigureAwait(false);
        }

        foreach (var failed in runs.Where(r => r.Result is null))
        {
            await error.WriteLineAsync($"{failed.Scenario.Name}: the environment failed: {failed.Error}").ConfigureAwait(false);
        }

        foreach (var missing in scorecard.RemediationErrors())
        {
            await error.WriteLineAsync(missing).ConfigureAwait(false);
        }

        if (runs.Count > 0 && runs.All(r => r.Result is { Outcome: ScenarioOutcome.Skipped }))
        {
            await error.WriteLineAsync($"No scenario ran: all {runs.Count} were skipped by the {environmentName} environment, so the connector rows rest on nothing. Run the assessment on an environment that has what the faults need.").ConfigureAwait(false);
            return ExitCodes.NothingRan;
        }

        if (scorecard.Overall == AssessmentStatus.Red)
        {
            return ExitCodes.Red;
        }

        return runs.Any(r => r.Result is null) ? ExitCodes.UsageError : ExitCodes.Ok;
    }

    private async Task<(AssessedRun Run, ScorecardEntry Entry)> RunOneAsync(IScenarioSession session, string connector, Scenario scenario, string? outputDirectory, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ScenarioResult result;
        try
        {
            result = await session.RunAsync(scenario, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ScenarioEnvironmentException or ArgumentException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (new AssessedRun(connector, scenario, null, ex.Message), ScorecardEntries.FromError(scenario, connector, 1, ex, clock.Elapsed));
        }

        string? evidence = null;
        if (outputDirectory is not null)
        {
            try
            {
                evidence = await ReportWriter.WriteEvidenceAsync(outputDirectory, result, 1, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"Could not write the evidence of {scenario.Name}: {ex.Message}").ConfigureAwait(false);
            }
        }

        return (new AssessedRun(connector, scenario, result), ScorecardEntries.FromResult(result, connector, 1, evidence));
    }

    private void WriteConsole(AssessmentScorecard scorecard)
    {
        var console = CliConsole.Create(output, interactive: false);
        var table = new Table().AddColumns("Area", "Status", "Evidence", "Remediation");
        foreach (var row in scorecard.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Title),
                AssessmentScorecard.StatusKey(row.Status),
                Markup.Escape(row.Summary),
                Markup.Escape(string.IsNullOrWhiteSpace(row.Remediation) ? (row.Status == AssessmentStatus.Red ? "MISSING" : "-") : row.Remediation));
        }

        console.Write(table);
        foreach (var row in scorecard.Rows.Where(r => r.Offsets.Count > 0))
        {
            var offsets = new Table().AddColumns("Stage", "Group", "Partition", "Committed", "Log end");
            foreach (var offset in row.Offsets)
            {
                offsets.AddRow(offset.Stage, Markup.Escape(offset.Group), offset.Partition.ToString(CultureInfo.InvariantCulture), offset.Committed?.ToString(CultureInfo.InvariantCulture) ?? "none", offset.LogEnd.ToString(CultureInfo.InvariantCulture));
            }

            console.WriteLine($"{row.Title}: committed offsets");
            console.Write(offsets);
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Assessment '{scorecard.Name}' on {scorecard.Environment}: {AssessmentScorecard.StatusKey(scorecard.Overall)}"));
    }
}
