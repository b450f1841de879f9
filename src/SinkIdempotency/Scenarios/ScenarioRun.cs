using System.Diagnostics;
using System.Globalization;
using SinkIdempotency.Connect;
using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;
using SinkIdempotency.Timing;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <summary>Holds the state of one scenario run and drives it from deployment to verdict.</summary>
internal sealed partial class ScenarioRun
{
    private readonly IScenarioDriver _environment;
    private readonly Scenario _scenario;
    private readonly RunNamespace _names;
    private readonly ScenarioRunnerOptions _options;
    private readonly EvidenceTimeline _timeline = new();
    private readonly Ledger _ledger = new();
    private readonly List<string> _reasons = [];
    private readonly List<string> _cleanupErrors = [];
    private readonly Dictionary<string, string> _config;
    private ISinkTarget? _sinkTarget;
    private ITargetReader _target = EmptyTarget.Instance;
    private readonly TimeProvider _time;
    private bool _createdTopic;
    private bool _createdDeadLetterTopic;
    private string? _deadLetterTopic;
    private DateTimeOffset _topicCreatedAt;
    private bool _createdConnector;
    private bool _usedProxy;
    private FaultContext? _faultContext;
    private string _step = "prepare";

    public ScenarioRun(IScenarioDriver environment, Scenario scenario, RunNamespace names, ScenarioRunnerOptions options)
    {
        _environment = environment;
        _scenario = scenario;
        _names = names;
        _options = options;
        _time = options.TimeProvider;
        _config = BuildConfig();
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private string FaultName => _scenario.Fault?.Name ?? "none";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var skip = SkipReason();
        if (skip is null)
        {
            await OpenTargetAsync(cancellationToken).ConfigureAwait(false);
            skip = SkipReason();
        }

        if (skip is not null)
        {
            Mark("skipped: " + skip);
            return new ScenarioResult
            {
                Scenario = _scenario.Name,
                RunId = _names.RunId,
                Environment = _environment.Name,
                Fault = FaultName,
                Semantics = _scenario.Semantics,
                Outcome = ScenarioOutcome.Skipped,
                Verdict = null,
                SkipReason = skip,
                Evidence = _timeline,
                Duration = Stopwatch.GetElapsedTime(started),
            };
        }

        CheckSettings();
        ScenarioOutcome outcome;
        FaultOutcome? faultOutcome = null;
        ReconciliationReport? before = null;
        ReconciliationReport? report = null;
        try
        {
            await DeployAsync(cancellationToken).ConfigureAwait(false);
            (outcome, faultOutcome, before) = await StreamAsync(cancellationToken).ConfigureAwait(false);
            report = await ReconcileAsync("reconcile", cancellationToken).ConfigureAwait(false);
            await CollectFinalEvidenceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Mark("failed: " + ex.Message);
            await CleanupAsync().ConfigureAwait(false);
            await WriteFilesAsync(null, null).ConfigureAwait(false);
            if (ex is OperationCanceledException or ScenarioEnvironmentException)
            {
                throw;
            }

            throw new ScenarioEnvironmentException(SecretRedactor.RedactText($"Scenario '{_scenario.Name}' (run {_names.RunId}) could not run on the {_environment.Name} environment: {ex.Message}"), ex);
        }

        await CleanupAsync().ConfigureAwait(false);
        var failures = AttributeFailures(report!);
        report = ApplyUnseenRule(report, outcome, failures, explain: true)!;
        before = ApplyUnseenRule(before, outcome, failures, explain: false);
        var verdict = Grade(outcome, report, failures);
        ExplainAnomalies(report, outcome);

        var (evidencePath, reportPath) = await WriteFilesAsync(report, before).ConfigureAwait(false);
        return new ScenarioResult
        {
            Scenario = _scenario.Name,
            RunId = _names.RunId,
            Environment = _environment.Name,
            Fault = FaultName,
            Semantics = _scenario.Semantics,
            Outcome = outcome,
            Verdict = verdict,
            Reasons = [.. _reasons],
            TaskFailures = failures,
            Warnings = Warnings(),
            FaultDetail = faultOutcome?.Detail,
            Finding = outcome == ScenarioOutcome.WindowNeverOpened ? faultOutcome?.Finding : null,
            Report = report,
            ReportBeforeFault = before,
            CrashWindow = _timeline.OfType<FaultActionEvidence>().Select(e => e.Window).LastOrDefault(w => w is not null),
            Evidence = _timeline,
            EvidencePath = evidencePath,
            ReportPath = reportPath,
            CleanupErrors = [.. _cleanupErrors],
            Duration = Stopwatch.GetElapsedTime(started),
        };
    }

    private string? SkipReason()
    {
        if (_scenario.Fault?.MissingCapabilityReason(_environment.Capabilities) is { } reason)
        {
            return _environment.ExplainMissingCapabilities(_scenario.Fault) is { } why
                ? $"{reason} ({_environment.Name} environment) {why}"
                : $"{reason} ({_environment.Name} environment)";
        }

        // A target that cannot take part in the fault at all (a folder has no network path) is refused loudly instead.
        if (_scenario.Fault?.NeedsTargetProxy == true && _sinkTarget is { Proxy: null } && _sinkTarget.ExplainUnsupported(_scenario) is null)
        {
            return $"{_scenario.Fault.GetType().Name} needs a target fault proxy, and the {_environment.Name} environment has none in front of its {_sinkTarget.Kind} target.";
        }

        return null;
    }

    private Dictionary<string, string> BuildConfig()
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in _scenario.ConnectorConfig)
        {
            config[key] = Resolve(value);
        }

        config.TryAdd("topics", _names.Topic);
        config.TryAdd("table.name.format", _names.Table);
        _scenario.Fault?.ConfigureConnector(config, _scenario.Workload);
        return config;
    }

    private string Resolve(string value) => value
        .Replace("${topic}", _names.Topic, StringComparison.Ordinal)
        .Replace("${dlq}", _names.DeadLetterTopic, StringComparison.Ordinal)
        .Replace("${table}", _names.Table, StringComparison.Ordinal)
        .Replace("${connector}", _names.Connector, StringComparison.Ordinal)
        .Replace("${run}", _names.RunId, StringComparison.Ordinal);

    private async Task DeployAsync(CancellationToken cancellationToken)
    {
        _step = "deploy";
        Mark("started");
        RecordProvenance();
        await _environment.CreateTopicAsync(_names.Topic, _scenario.Workload.Partitions, cancellationToken).ConfigureAwait(false);
        _createdTopic = true;
        _topicCreatedAt = Now;
        await CreateDeadLetterTopicAsync(cancellationToken).ConfigureAwait(false);

        _usedProxy = _scenario.Fault?.NeedsTargetProxy == true;
        foreach (var key in _keptSettings)
        {
            Mark($"kept {key} as the scenario sets it: the {_environment.Name} environment uses the team's target settings");
        }

        _createdConnector = true;
        NoteHarnessAction("deploy");
        await _environment.CreateConnectorAsync(_names.Connector, _config, cancellationToken).ConfigureAwait(false);
        await ReadEffectiveDeadLetterTopicAsync(cancellationToken).ConfigureAwait(false);
        var running = await WaitUntilAsync(
            async ct => (await _environment.GetConnectorAsync(_names.Connector, ct).ConfigureAwait(false)).IsRunning,
            _scenario.StartTimeout,
            cancellationToken).ConfigureAwait(false);
        var status = await ObserveConnectorAsync(cancellationToken).ConfigureAwait(false);
        if (!running)
        {
            var failed = status.Tasks.FirstOrDefault(t => t.Trace is not null)?.Trace;
            throw new ScenarioEnvironmentException(
                $"Connector {_names.Connector} did not reach RUNNING with all tasks within {_scenario.StartTimeout.TotalSeconds:0.#} s (state {status.State}, tasks {string.Join(", ", status.Tasks.Select(t => $"{t.Task}:{t.State}"))})"
                + (failed is null ? "." : $": {FirstLine(failed)}") + " Check the connector configuration and the worker logs in the evidence.");
        }

        // RUNNING tasks may not have joined their consumer group yet. Records produced before the sink fetches pile up,
        // and a loaded machine's sink then takes the whole stream in one poll: a crash window has no commit to race.
        bool? owns = null;
        var assigned = await WaitUntilAsync(
            async ct => (owns = await SinkOwnsEveryPartitionAsync(ct).ConfigureAwait(false)) != false,
            _scenario.StartTimeout,
            cancellationToken).ConfigureAwait(false);
        Mark(owns is null
            ? $"could not check that the sink's consumers own every partition: the {_environment.Name} environment does not describe the group's members; producing without that check"
            : assigned ? "the sink's consumers own every partition" : "the sink's consumers did not own every partition in time; producing anyway");
        await ObserveOffsetsAsync("deployed", cancellationToken).ConfigureAwait(false);
        Mark("finished");
    }

    // True once the group's members own all of the topic's partitions; null when the environment cannot tell.
    private async Task<bool?> SinkOwnsEveryPartitionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var members = await _environment.DescribeGroupMembersAsync(_names.GroupId, cancellationToken).ConfigureAwait(false);
            return members is null
                ? null
                : members.SelectMany(m => m.Partitions).Where(p => p.Topic == _names.Topic).Distinct().Count() >= _scenario.Workload.Partitions;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The group may not exist yet while the tasks join it.
            return false;
        }
    }

    private async Task<(ScenarioOutcome Outcome, FaultOutcome? Fault, ReconciliationReport? Before)> StreamAsync(CancellationToken cancellationToken)
    {
        _step = "stream";
        Mark("started");
        var fault = _scenario.Fault;
        var context = fault is null ? null : new FaultContext(_environment, SinkTarget, _names, _scenario, _ledger, _target, _timeline, _time, _options.PollInterval, fault.Name);
        _faultContext = context;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleAsync(sampling.Token);
        try
        {
            Task<FaultOutcome>? faultTask = null;
            if (fault is not null && context is not null)
            {
                context.Step = "prepare-fault";
                await fault.PrepareAsync(context, cancellationToken).ConfigureAwait(false);
            }

            if (fault is not null && context is not null && fault.Timing == FaultTiming.DuringStream)
            {
                context.Step = "fault";
                faultTask = fault.InjectAsync(context, cancellationToken);
            }

            var request = new ProduceRequest(_names.Topic, _scenario.Workload, fault?.PoisonRecords(_scenario.Workload) ?? [])
            {
                BeforePoison = BeforePoisonAsync,
                HoldBefore = faultTask is null || context is null ? null : context.HoldsBefore,
                Hold = faultTask is null || context is null ? null : (index, ct) => context.WaitAtHoldAsync(index, faultTask, ct),
            };
            _rhythm.Begin(Now);
            await _environment.ProduceAsync(request, _ledger, cancellationToken).ConfigureAwait(false);
            Mark(string.Create(CultureInfo.InvariantCulture, $"produced {_ledger.Count} record(s)"));
            await ObserveOffsetsAsync("produced", cancellationToken).ConfigureAwait(false);

            FaultOutcome? faultOutcome = faultTask is null ? null : await faultTask.ConfigureAwait(false);
            var outcome = await SettleAsync("settle", cancellationToken).ConfigureAwait(false);
            ReconciliationReport? before = null;
            if (fault is not null && context is not null && fault.Timing == FaultTiming.AfterSettle)
            {
                before = await ReconcileAsync("reconcile-before-fault", cancellationToken).ConfigureAwait(false);
                _step = "fault";
                context.Step = "fault";
                faultOutcome = await fault.InjectAsync(context, cancellationToken).ConfigureAwait(false);
                outcome = await SettleAsync("settle-after-fault", cancellationToken).ConfigureAwait(false);
            }

            if (faultOutcome is { Injected: false, Finding: not null })
            {
                // The window never opened: a finding about the sink, graded on the data unless the pipeline itself failed.
                outcome = outcome == ScenarioOutcome.Settled ? ScenarioOutcome.WindowNeverOpened : outcome;
            }
            else if (faultOutcome is { Injected: false })
            {
                _reasons.Add($"The fault was not injected: {faultOutcome.Detail}");
                outcome = ScenarioOutcome.FaultNotInjected;
            }
            else if (_poisonProblem is not null)
            {
                _reasons.Add($"The fault was not injected: {_poisonProblem}");
                outcome = ScenarioOutcome.FaultNotInjected;
            }

            if (faultOutcome?.Caveat is { } caveat)
            {
                _reasons.Add(caveat);
            }

            return (outcome, faultOutcome, before);
        }
        finally
        {
            await sampling.CancelAsync().ConfigureAwait(false);
            try
            {
                await sampler.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The sampler ends by cancellation.
            }
        }
    }

    private async Task<ReconciliationReport> ReconcileAsync(string step, CancellationToken cancellationToken)
    {
        _step = step;
        var committed = await _environment.GetCommittedOffsetsAsync(_names.GroupId, _names.Topic, cancellationToken).ConfigureAwait(false);
        _finalCommitted = committed;
        var deadLetters = await ReadDeadLettersAsync(cancellationToken).ConfigureAwait(false);
        var input = new ReconciliationInput
        {
            Ledger = _ledger.Snapshot(),
            Semantics = _scenario.Semantics,
            CommittedOffsets = committed,
            DeadLetters = deadLetters,
            PoisonMarked = true,
            TargetSettled = _targetSettled,
        };
        var report = await new Reconciler(_options.Reconciler).ReconcileAsync(input, _target, cancellationToken).ConfigureAwait(false);
        _timeline.Add(new TargetEvidence
        {
            At = Now,
            Step = step,
            Target = report.Target,
            Rows = report.TargetRows,
            Checksum = ValueHash.Format(report.TargetChecksum),
        });
        if (_deadLetterTopic is not null)
        {
            _timeline.Add(new DeadLetterEvidence { At = Now, Step = step, Topic = _deadLetterTopic, Count = deadLetters.Count, Records = [.. deadLetters.Take(20)] });
        }

        Mark(string.Create(CultureInfo.InvariantCulture, $"{report.Verdict.ToName()}: {string.Join(", ", report.Anomalies.Where(a => a.Count > 0).Select(a => $"{a.Count} {a.Kind.ToName()}"))}"));
        return report;
    }

    // No convergence, a fault that never happened, a task failure nothing the scenario did explains and a window that
    // never opened because the sink wrote nothing at all prove nothing about what the sink does under the fault, so none may pass.
    private static Verdict Grade(ScenarioOutcome outcome, ReconciliationReport report, IReadOnlyList<TaskFailure> failures) => outcome switch
    {
        ScenarioOutcome.NoConvergence or ScenarioOutcome.FaultNotInjected => Verdict.Red,
        ScenarioOutcome.WindowNeverOpened when report.InTarget == 0 => Verdict.Red,
        _ when failures.Any(f => !f.CausedByPoison) => Verdict.Red,
        _ => report.Verdict,
    };

    private async Task CollectFinalEvidenceAsync(CancellationToken cancellationToken)
    {
        _step = "final";
        await ObserveOffsetsAsync("final", cancellationToken).ConfigureAwait(false);
        await ObserveConnectorAsync(cancellationToken).ConfigureAwait(false);
        await CollectWorkerLogsAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CollectWorkerLogsAsync(CancellationToken cancellationToken)
    {
        if (!_environment.Capabilities.HasFlag(EnvironmentCapabilities.WorkerLogs) || _options.WorkerLogLines == 0)
        {
            return;
        }

        foreach (var worker in await _environment.ListWorkersAsync(cancellationToken).ConfigureAwait(false))
        {
            var lines = await _environment.ReadWorkerLogAsync(worker.WorkerId, _options.WorkerLogLines, cancellationToken).ConfigureAwait(false);
            _timeline.Add(new WorkerLogEvidence { At = Now, Step = _step, WorkerId = worker.WorkerId, Lines = [.. lines.Select(SecretRedactor.RedactText)] });
        }
    }

    // Error messages can quote connection strings or URLs back (a Connect validation error, an Npgsql failure).
    // Where the environment's parts came from (e.g. the connector archives of a Connect image and their SHA-256): in the evidence, and unverified parts among the warnings.
    private void RecordProvenance()
    {
        if (_environment.Environment is not IEnvironmentProvenance provenance)
        {
            return;
        }

        foreach (var note in provenance.ProvenanceNotes)
        {
            Mark("environment: " + note);
        }

        lock (_warnings)
        {
            _warnings.AddRange(provenance.ProvenanceWarnings.Select(SecretRedactor.RedactText));
        }
    }

    private void Mark(string message) => _timeline.Add(new StepEvidence { At = Now, Step = _step, Message = SecretRedactor.RedactText(message) });

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).TrimEnd('\r');
    }

    private Task<bool> WaitUntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken) =>
        Poll.UntilAsync(_time, condition, timeout, _options.PollInterval, cancellationToken);
}
