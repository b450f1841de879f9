using System.Diagnostics;
using System.Globalization;
using SinkIdempotency.Cli.Matrix;
using SinkIdempotency.Cli.Reports;
using SinkIdempotency.Cli.ScenarioFiles;
using SinkIdempotency.Environments;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using Spectre.Console;

namespace SinkIdempotency.Cli.Run;

/// <summary>Executes <c>sink-idempotency run</c>: selects the scenarios, starts the environment, runs each, prints and writes the scorecard.</summary>
/// <remarks>Exit codes: 0 nothing red, 1 anything red, 2 usage or environment error (a bad scenario file, a setting the environment would replace, an environment that cannot start, a scenario the environment failed, an interrupted run), 3 every scenario skipped (unless <c>--allow-skips</c>).</remarks>
internal sealed class RunExecution(
    IScenarioSessionFactory sessions,
    TextWriter output,
    TextWriter error,
    bool interactive,
    TimeProvider timeProvider,
    Func<string, string?> getVariable,
    Func<IReadOnlyDictionary<string, string>> getVariables)
{
    public async Task<int> ExecuteAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create(output, interactive);
        List<MatrixEntry> entries;
        try
        {
            entries = await LoadAsync(settings, cancellationToken).ConfigureAwait(false);
        }
        catch (ScenarioFileException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var selected = entries.Where(e => NameFilter.Matches(settings.Filter, e.Name)).ToList();
        if (selected.Count == 0)
        {
            await error.WriteLineAsync($"No scenario matches --filter '{settings.Filter}'. The scenarios are: {string.Join(", ", entries.Select(e => e.Name))}.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        if (PluginProblem(settings, selected) is { } pluginProblem)
        {
            await error.WriteLineAsync(pluginProblem).ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        settings = settings with { PluginPaths = [.. settings.PluginPaths.Concat(selected.SelectMany(e => e.PluginPaths)).Distinct(StringComparer.Ordinal)] };

        if (settings.Environment == EnvironmentKind.External && !settings.List)
        {
            // Command-line endpoints win; the variables fill the rest, and every missing one is named before anything starts.
            ExternalEnvironmentOptions external;
            try
            {
                external = new ExternalEnvironmentBuilder(settings.External).WithEnvironmentVariables(getVariables()).Options;
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            if (external.Problems() is { Count: > 0 } problems)
            {
                await error.WriteLineAsync("--env external is not configured:").ConfigureAwait(false);
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync("  " + problem).ConfigureAwait(false);
                }

                await error.WriteLineAsync("See docs/cli.md (\"The external environment\") for every option and variable.").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            settings = settings with { External = external };
        }

        if (settings.Environment == EnvironmentKind.Embedded && settings.External.BootstrapServers is not null)
        {
            // Only the command line points the embedded environment at another cluster (a SINKIDEMPOTENCY_BOOTSTRAP_SERVERS left
            // in the shell for --env external must not); its client settings, secrets included, may come from the variables.
            var settingsFromVariables = ExternalEnvironmentOptions.FromEnvironmentVariables(getVariables()).KafkaSettings;
            var merged = new Dictionary<string, string>(settingsFromVariables, StringComparer.Ordinal);
            foreach (var (key, value) in settings.External.KafkaSettings)
            {
                merged[key] = value;
            }

            settings = settings with { External = new ExternalEnvironmentOptions { BootstrapServers = settings.External.BootstrapServers, KafkaSettings = merged } };
        }

        if (settings.List)
        {
            foreach (var entry in selected)
            {
                await output.WriteLineAsync($"{entry.Name}\t{entry.Scenario.Fault?.Name ?? "none"}\t{entry.Connector}\t{entry.Scenario.Semantics.ToName()}\t{entry.Source}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }

        string? outputDirectory = null;
        OutputManifest? manifest = null;
        if (settings.OutputDirectory is { } requested)
        {
            try
            {
                outputDirectory = Directory.CreateDirectory(requested).FullName;

                // A reused folder: delete what the previous run wrote (only that), so old evidence never sits beside new.
                manifest = OutputManifest.Prepare(outputDirectory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await error.WriteLineAsync($"Cannot create the output folder '{requested}': {ex.Message} Choose another folder with --out.").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        }

        var workDirectory = outputDirectory is null
            ? Path.Combine(Path.GetTempPath(), "sink-idempotency-" + Guid.NewGuid().ToString("n")[..8])
            : Path.Combine(outputDirectory, "runs");
        try
        {
            return await RunMatrixAsync(settings, selected, outputDirectory, workDirectory, console, cancellationToken).ConfigureAwait(false);
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

    private async Task<int> RunMatrixAsync(RunSettings settings, List<MatrixEntry> selected, string? outputDirectory, string workDirectory, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var jobs = selected
            .SelectMany(entry => Enumerable.Range(1, settings.Repeat).Select(repetition => (Entry: entry, Repetition: repetition)))
            .Select((job, i) => (Index: i + 1, job.Entry, job.Repetition))
            .ToList();
        // Each lane is an environment with Connect workers of its own, so a kill, freeze or rebalance in one lane touches no
        // other lane's connectors; on --env embedded the lanes share one broker and one server per target (each lane with
        // its own fault proxies), so a lane costs one worker process. Lane 1 starts first and checks the matrix; the others
        // start while it runs and join as they become ready.
        var laneCount = Math.Min(settings.EffectiveParallel, jobs.Count);
        var lanes = new List<IScenarioSession>();
        var lanesGate = new Lock();
        IScenarioSession first;
        try
        {
            first = await sessions.StartAsync(settings, LaneDirectory(workDirectory, 1, laneCount), cancellationToken).ConfigureAwait(false);
            lanes.Add(first);
        }
        catch (Exception ex) when (ex is EnvironmentUnavailableException or OperationCanceledException)
        {
            await error.WriteLineAsync(ex is OperationCanceledException ? "Interrupted while starting the environment." : ex.Message).ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        // A setting the environment would have to replace stops the run before anything is created (exit 2). A built-in cell
        // whose target cannot take part in its failure case is n/a, with the target's reason, and is not run.
        var notApplicable = new Dictionary<MatrixEntry, string>();
        foreach (var entry in selected)
        {
            try
            {
                first.Check(entry.Scenario);
            }
            catch (ScenarioConfigurationException ex) when (entry.Source == BuiltInMatrix.Source && ex.Key == "target.kind")
            {
                notApplicable[entry] = ex.Message;
            }
            catch (ScenarioConfigurationException ex)
            {
                await DisposeAllAsync(lanes).ConfigureAwait(false);
                await error.WriteLineAsync($"{entry.Source}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        }

        console.WriteLine(LanesText(settings, laneCount));
        var results = new ScorecardEntry?[jobs.Count];
        var interrupted = false;
        (int Lane, Exception Error)? laneFailure = null;
        var environmentName = first.EnvironmentName;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var again = new System.Collections.Concurrent.ConcurrentQueue<(int Index, MatrixEntry Entry, int Repetition, ScorecardEntry First)>();
        try
        {
            var progress = new RunProgress(console, interactive);
            var queue = new System.Collections.Concurrent.ConcurrentQueue<(int Index, MatrixEntry Entry, int Repetition)>(laneCount > 1 ? RunOrder.LongestFirst(jobs, j => j.Entry) : jobs);
            var gate = new Lock();
            await progress.RunAsync(jobs.Count, async sink =>
            {
                await Task.WhenAll(Enumerable.Range(1, laneCount).Select(async lane =>
                {
                    var session = first;
                    if (lane > 1)
                    {
                        try
                        {
                            session = await sessions.StartAsync(settings, LaneDirectory(workDirectory, lane, laneCount), stop.Token).ConfigureAwait(false);
                        }
                        catch (EnvironmentUnavailableException ex)
                        {
                            // A lane that cannot start is an environment error like the first one's: the run stops (exit 2).
                            lock (lanesGate)
                            {
                                laneFailure ??= (lane, ex);
                            }

                            await stop.CancelAsync().ConfigureAwait(false);
                            return;
                        }
                        catch (OperationCanceledException) when (stop.IsCancellationRequested)
                        {
                            return;
                        }

                        lock (lanesGate)
                        {
                            lanes.Add(session);
                        }
                    }

                    while (!stop.IsCancellationRequested && queue.TryDequeue(out var job))
                    {
                        if (notApplicable.TryGetValue(job.Entry, out var reason))
                        {
                            results[job.Index - 1] = ScorecardEntries.NotApplicable(job.Entry.Scenario, job.Entry.Connector, job.Repetition, reason);
                            lock (gate)
                            {
                                sink.Finished(job.Index, results[job.Index - 1]!);
                            }

                            continue;
                        }

                        lock (gate)
                        {
                            sink.Started(job.Index, job.Entry.Name, job.Repetition);
                        }

                        var result = await RunOneAsync(session, job.Entry, job.Repetition, outputDirectory, stop.Token).ConfigureAwait(false);
                        if (laneCount > 1 && result.Outcome == nameof(ScenarioOutcome.FaultNotInjected))
                        {
                            // The harness could not land the fault beside the other lanes (e.g. its observations of the window
                            // came too seldom on a busy machine): that says nothing about the sink, so the cell runs again alone.
                            again.Enqueue((job.Index, job.Entry, job.Repetition, result));
                            continue;
                        }

                        results[job.Index - 1] = result;
                        lock (gate)
                        {
                            sink.Finished(job.Index, result);
                        }
                    }

                    stop.Token.ThrowIfCancellationRequested();
                })).ConfigureAwait(false);

                if (!again.IsEmpty)
                {
                    // Alone: the other lanes stop first, so their workers take no CPU from the cell run again.
                    await DisposeAllAsync([.. lanes.Where(l => !ReferenceEquals(l, first))]).ConfigureAwait(false);
                    lanes.RemoveAll(l => !ReferenceEquals(l, first));
                }

                while (again.TryDequeue(out var retry))
                {
                    var result = await RunOneAsync(first, retry.Entry, retry.Repetition, outputDirectory, stop.Token).ConfigureAwait(false);
                    result = result with
                    {
                        Reasons = [.. result.Reasons, $"Ran again alone: the first attempt, beside {laneCount - 1} other lane(s), could not inject the fault. {string.Join(" ", retry.First.Reasons)}"],
                    };
                    results[retry.Index - 1] = result;
                    lock (gate)
                    {
                        sink.Finished(retry.Index, result);
                    }
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            interrupted = true;
        }
        catch
        {
            await DisposeAllAsync(lanes).ConfigureAwait(false);
            throw;
        }

        // The lanes stop while the scorecard and the reports are written (about 1.5 s each at the end of the default run:
        // ten workers stopping gracefully and the shared servers shutting down, and the reports); both end before the run does.
        var stopping = DisposeAllAsync(lanes);
        List<ScorecardEntry> finished;
        Scorecard scorecard;
        try
        {
            // An interrupted run keeps the first attempt of a cell that was waiting to run again.
            foreach (var pending in again)
            {
                results[pending.Index - 1] ??= pending.First;
            }

            finished = [.. results.OfType<ScorecardEntry>()];
            scorecard = new Scorecard
            {
                Environment = environmentName,
                StartedAt = startedAt,
                DurationMs = clock.ElapsedMilliseconds,
                Repeat = settings.Repeat,
                Scenarios = finished,
            };
            if (finished.Count > 0)
            {
                console.WriteLine();
                ScorecardConsole.Write(console, scorecard, interactive);
            }

            await WriteReportsAsync(scorecard, outputDirectory, console).ConfigureAwait(false);
        }
        finally
        {
            await stopping.ConfigureAwait(false);
        }

        if (laneFailure is { } failure)
        {
            await error.WriteLineAsync($"Lane {failure.Lane} of {laneCount} could not start, so the run stopped after {finished.Count} of {selected.Count * settings.Repeat} run(s): {failure.Error.Message} Run with fewer lanes (--parallel) if this machine cannot hold {laneCount}.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        if (interrupted)
        {
            await error.WriteLineAsync($"Interrupted after {finished.Count} of {selected.Count * settings.Repeat} run(s); the scorecard covers only those.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        foreach (var failed in finished.Where(r => r.Verdict == ScorecardVerdict.Error))
        {
            await error.WriteLineAsync($"{failed.Name}: the environment failed: {string.Join(" ", failed.Reasons)}").ConfigureAwait(false);
        }

        if (scorecard.AnyRed)
        {
            return ExitCodes.Red;
        }

        if (scorecard.AnyError)
        {
            return ExitCodes.UsageError;
        }

        if (scorecard.NothingRan && !settings.AllowSkips)
        {
            await error.WriteLineAsync($"No scenario ran: all {finished.Count} run(s) were skipped by the {environmentName} environment (reasons above), so nothing was tested. Run on an environment that has what the faults need, or pass --allow-skips to accept a run that tests nothing.").ConfigureAwait(false);
            return ExitCodes.NothingRan;
        }

        return ExitCodes.Ok;
    }

    private static string LaneDirectory(string workDirectory, int lane, int laneCount) =>
        laneCount == 1 ? workDirectory : Path.Combine(workDirectory, string.Create(CultureInfo.InvariantCulture, $"lane-{lane}"));

    // Says how many lanes run and why, as the issue asks the default to be explained.
    private static string LanesText(RunSettings settings, int laneCount)
    {
        var chosen = settings.Parallel is null
            ? RunSettings.DefaultParallelReason(settings.Environment, System.Environment.ProcessorCount)
            : "--parallel";
        return string.Create(CultureInfo.InvariantCulture, $"{laneCount} lane(s) ({chosen}){(laneCount > 1 && settings.Environment == EnvironmentKind.Embedded ? ": each with a Connect worker of its own, sharing the broker and the target servers" : string.Empty)}.");
    }

    // All at once: each lane stops its own workers, and the last one to go stops the servers the lanes share.
    private static Task DisposeAllAsync(List<IScenarioSession> lanes) =>
        Task.WhenAll(lanes.Select(lane => lane.DisposeAsync().AsTask()));

    private async Task<ScorecardEntry> RunOneAsync(IScenarioSession session, MatrixEntry entry, int repetition, string? outputDirectory, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ScenarioResult result;
        try
        {
            result = await session.RunAsync(entry.Scenario, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ScenarioEnvironmentException or ArgumentException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ScorecardEntries.FromError(entry.Scenario, entry.Connector, repetition, ex, clock.Elapsed) with { Target = entry.Scenario.Target.Kind };
        }

        string? evidence = null;
        if (outputDirectory is not null)
        {
            try
            {
                evidence = await ReportWriter.WriteEvidenceAsync(outputDirectory, result, repetition, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"Could not write the evidence of {entry.Name}: {ex.Message}").ConfigureAwait(false);
            }
        }

        return ScorecardEntries.FromResult(result, entry.Connector, repetition, evidence) with { Target = entry.Scenario.Target.Kind };
    }

    private async Task WriteReportsAsync(Scorecard scorecard, string? outputDirectory, IAnsiConsole console)
    {
        // Reports are written even when the run was interrupted, so they use no cancellation token.
        if (outputDirectory is not null)
        {
            await ReportWriter.WriteAsync(outputDirectory, scorecard, CancellationToken.None).ConfigureAwait(false);
            console.WriteLine($"Reports: {Path.Combine(outputDirectory, "scorecard.json")}, scorecard.md, report.html, {ReportWriter.EvidenceFolder}/");
        }

        if (getVariable(StepSummary.Variable) is { Length: > 0 } summary)
        {
            try
            {
                var bytes = await StepSummary.AppendAsync(summary, scorecard, CancellationToken.None).ConfigureAwait(false);
                console.WriteLine(bytes > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"Step summary: appended {bytes} bytes to {summary}.")
                    : "Step summary: left out, the file is already near GitHub's 1 MiB limit.");
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"Could not append to the step summary {summary}: {ex.Message}").ConfigureAwait(false);
            }
        }
    }

    // A scenario file's plugins are .NET sinks for the embedded workers; the other environments run real Connect workers.
    private static string? PluginProblem(RunSettings settings, List<MatrixEntry> selected) =>
        settings.Environment != EnvironmentKind.Embedded && selected.Find(e => e.PluginPaths.Count > 0) is { } entry
            ? $"{entry.Source} lists plugins:, .NET sinks that only the embedded workers load; --env {settings.Environment.ToString().ToLowerInvariant()} runs real Kafka Connect workers. Run it with --env embedded, or remove plugins: from the file."
            : null;

    private static async Task<List<MatrixEntry>> LoadAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        if (settings.ScenarioFiles.Count == 0)
        {
            return [.. BuiltInMatrix.For(settings.Environment)];
        }

        var entries = new List<MatrixEntry>();
        foreach (var file in settings.ScenarioFiles)
        {
            var entry = await ScenarioFile.LoadAsync(file, cancellationToken).ConfigureAwait(false);
            if (entries.Find(e => string.Equals(e.Name, entry.Name, StringComparison.OrdinalIgnoreCase)) is { } clash)
            {
                throw new ScenarioFileException(file, 0, 0, "name", $"the scenario name '{entry.Name}' is already used by {clash.Source}; give each scenario its own name");
            }

            entries.Add(entry);
        }

        return entries;
    }
}
