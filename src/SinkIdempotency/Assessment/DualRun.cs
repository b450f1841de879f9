using System.Globalization;
using SinkIdempotency.Connect;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Timing;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Assessment;

/// <summary>Runs the rollback row's dual run: the legacy and the new connector on one topic into two tables, both reconciled, their groups' offsets compared, then the legacy path stopped while the new one keeps going.</summary>
/// <remarks>
/// Both connectors get names of their own (<c>si-{run}-legacy-{name}</c>, <c>si-{run}-new-{name}</c>), so their consumer groups
/// (<c>connect-{connector}</c>) and tables differ; the topic is the run's own. The producer holds before
/// <see cref="DualRunOptions.StopBefore"/> until both groups have committed the log end, both targets are reconciled and the
/// legacy connector is stopped; the rest then goes to the new path only, and the legacy group must keep the offsets it
/// stopped at, which is where a rollback resumes it. Everything the run created is removed at the end, on every path.
/// </remarks>
public static class DualRun
{
    /// <summary>Runs the dual run.</summary>
    /// <param name="driver">The environment.</param>
    /// <param name="legacy">The legacy connector's configuration as the assessment file declares it.</param>
    /// <param name="next">The new connector's configuration as the assessment file declares it.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the run; cleanup still happens.</param>
    /// <returns>What was measured; an environment failure is returned in <see cref="DualRunResult.Error"/>, never thrown.</returns>
    public static async Task<DualRunResult> RunAsync(IScenarioDriver driver, IReadOnlyDictionary<string, string> legacy, IReadOnlyDictionary<string, string> next, DualRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(legacy);
        ArgumentNullException.ThrowIfNull(next);
        options ??= new DualRunOptions();
        options.Validate();
        var runId = Random.Shared.Next().ToString("x8", CultureInfo.InvariantCulture);
        var topic = RunNamespace.Create("rollback", runId);
        var legacyNames = RunNamespace.Create("legacy-" + legacy.GetValueOrDefault("name", "connector"), runId);
        var newNames = RunNamespace.Create("new-" + next.GetValueOrDefault("name", "connector"), runId);
        var state = new State(driver, options, topic.Topic)
        {
            Legacy = new DualRunPath("legacy", legacyNames.Connector, legacyNames.Table, SemanticsOf(legacy)),
            New = new DualRunPath("new", newNames.Connector, newNames.Table, SemanticsOf(next)),
        };
        try
        {
            await state.RunAsync(legacy, next, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            state.Error = SecretRedactor.RedactText(ex.Message);
        }
        finally
        {
            await state.CleanupAsync().ConfigureAwait(false);
        }

        return state.Result();
    }

    /// <summary>Returns the semantics a path is reconciled under: upsert by key for <c>insert.mode=upsert</c> on <c>pk.mode=record_key</c>, else exactly-once effect.</summary>
    /// <param name="config">The connector configuration.</param>
    /// <returns>The semantics.</returns>
    internal static DeclaredSemantics SemanticsOf(IReadOnlyDictionary<string, string> config) =>
        string.Equals(config.GetValueOrDefault("insert.mode"), "upsert", StringComparison.OrdinalIgnoreCase)
        && string.Equals(config.GetValueOrDefault("pk.mode"), "record_key", StringComparison.OrdinalIgnoreCase)
            ? DeclaredSemantics.UpsertByKey
            : DeclaredSemantics.ExactlyOnceEffect;

    private sealed class State(IScenarioDriver driver, DualRunOptions options, string topic)
    {
        private readonly Ledger _ledger = new();
        private readonly List<string> _cleanupErrors = [];
        private ISinkTarget? _target;
        private bool _createdTopic;
        private bool _createdConnectors;

        public required DualRunPath Legacy { get; set; }

        public required DualRunPath New { get; set; }

        public string? Error { get; set; }

        public long ProducedBeforeStop { get; private set; }

        public IReadOnlyDictionary<SourcePartition, long> EndAtAlignment { get; private set; } = new Dictionary<SourcePartition, long>();

        public IReadOnlyDictionary<SourcePartition, long> EndAtEnd { get; private set; } = new Dictionary<SourcePartition, long>();

        public string? StoppedWith { get; private set; }

        public async Task RunAsync(IReadOnlyDictionary<string, string> legacy, IReadOnlyDictionary<string, string> next, CancellationToken cancellationToken)
        {
            _target = await driver.GetTargetAsync(ScenarioTarget.PostgreSqlKind, cancellationToken).ConfigureAwait(false);
            var legacyConfig = Config("rollback.legacy", legacy, Legacy, _target);
            var newConfig = Config("rollback.new", next, New, _target);
            await driver.CreateTopicAsync(topic, options.Workload.Partitions, cancellationToken).ConfigureAwait(false);
            _createdTopic = true;
            _createdConnectors = true;
            await driver.CreateConnectorAsync(Legacy.Connector, legacyConfig, cancellationToken).ConfigureAwait(false);
            await driver.CreateConnectorAsync(New.Connector, newConfig, cancellationToken).ConfigureAwait(false);
            foreach (var path in new[] { Legacy, New })
            {
                if (!await WaitAsync(async ct => (await driver.GetConnectorAsync(path.Connector, ct).ConfigureAwait(false)).IsRunning, cancellationToken).ConfigureAwait(false))
                {
                    var status = await driver.GetConnectorAsync(path.Connector, cancellationToken).ConfigureAwait(false);
                    throw new InvalidOperationException($"the {path.Role} connector {path.Connector} did not reach RUNNING within {Seconds(options.Timeout)} (state {status.State}); check its configuration under rollback.{path.Role}");
                }
            }

            var request = new ProduceRequest(topic, options.Workload, []) { HoldBefore = index => index == options.StopBefore, Hold = (_, ct) => AlignAndStopLegacyAsync(ct) };
            await driver.ProduceAsync(request, _ledger, cancellationToken).ConfigureAwait(false);
            if (StoppedWith is null)
            {
                throw new InvalidOperationException($"the producer never reached record {options.StopBefore}, where the legacy path is stopped");
            }

            // After the stop only the new group has to reach the log end; the legacy group must stay where it stopped.
            var end = await driver.GetEndOffsetsAsync(topic, cancellationToken).ConfigureAwait(false);
            await WaitAsync(async ct => AtEnd(await Committed(New, ct).ConfigureAwait(false), end), cancellationToken).ConfigureAwait(false);
            EndAtEnd = end;
            var beforeStop = _ledger.Snapshot().Take((int)ProducedBeforeStop).ToList();
            New = await ReconcileAsync(New, _ledger.Snapshot(), atEnd: true, cancellationToken).ConfigureAwait(false);
            Legacy = await ReconcileAsync(Legacy, beforeStop, atEnd: true, cancellationToken).ConfigureAwait(false);
        }

        public DualRunResult Result() => new(topic, Legacy, New)
        {
            ProducedBeforeStop = ProducedBeforeStop,
            ProducedAfterStop = StoppedWith is null ? 0 : _ledger.Count - ProducedBeforeStop,
            EndAtAlignment = EndAtAlignment,
            EndAtEnd = EndAtEnd,
            Timeout = options.Timeout,
            StoppedWith = StoppedWith,
            Error = Error,
            CleanupErrors = [.. _cleanupErrors],
        };

        public async Task CleanupAsync()
        {
            // Cleanup runs even when the run was cancelled, so it gets its own deadline instead of the caller's token.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30), options.TimeProvider);
            var token = deadline.Token;
            if (_createdConnectors)
            {
                await TryAsync($"delete connector {Legacy.Connector}", () => driver.DeleteConnectorAsync(Legacy.Connector, token)).ConfigureAwait(false);
                await TryAsync($"delete connector {New.Connector}", () => driver.DeleteConnectorAsync(New.Connector, token)).ConfigureAwait(false);
            }

            if (_createdTopic)
            {
                await TryAsync($"delete topic {topic}", () => driver.DeleteTopicAsync(topic, token)).ConfigureAwait(false);
            }

            if (_createdConnectors && _target is { } target)
            {
                await TryAsync($"drop table {Legacy.Table}", () => target.DropTableAsync(target.Schema, Legacy.Table, token)).ConfigureAwait(false);
                await TryAsync($"drop table {New.Table}", () => target.DropTableAsync(target.Schema, New.Table, token)).ConfigureAwait(false);
            }
        }

        // Runs while the producer holds: both paths must reach the log end, are reconciled side by side, then the legacy one stops.
        private async Task AlignAndStopLegacyAsync(CancellationToken cancellationToken)
        {
            ProducedBeforeStop = _ledger.Count;
            var end = await driver.GetEndOffsetsAsync(topic, cancellationToken).ConfigureAwait(false);
            await WaitAsync(
                async ct => AtEnd(await Committed(Legacy, ct).ConfigureAwait(false), end) && AtEnd(await Committed(New, ct).ConfigureAwait(false), end),
                cancellationToken).ConfigureAwait(false);
            EndAtAlignment = end;
            var produced = _ledger.Snapshot();
            Legacy = await ReconcileAsync(Legacy, produced, atEnd: false, cancellationToken).ConfigureAwait(false);
            New = await ReconcileAsync(New, produced, atEnd: false, cancellationToken).ConfigureAwait(false);
            try
            {
                await driver.StopConnectorAsync(Legacy.Connector, cancellationToken).ConfigureAwait(false);
                StoppedWith = "stop";
                await WaitAsync(async ct => (await driver.GetConnectorAsync(Legacy.Connector, ct).ConfigureAwait(false)).State == "STOPPED", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ConnectRestException or NotSupportedException)
            {
                // A Connect older than 3.5 has no stop; deleting the connector leaves its group's offsets where they are.
                await driver.DeleteConnectorAsync(Legacy.Connector, cancellationToken).ConfigureAwait(false);
                StoppedWith = "delete";
            }
        }

        private async Task<DualRunPath> ReconcileAsync(DualRunPath path, IReadOnlyList<LedgerEntry> produced, bool atEnd, CancellationToken cancellationToken)
        {
            var committed = await Committed(path, cancellationToken).ConfigureAwait(false);
            var input = new ReconciliationInput { Ledger = produced, Semantics = path.Semantics, CommittedOffsets = committed, PoisonMarked = true };
            var reader = _target!.OpenReader(ReferenceMatrix.Mapping with { Table = path.Table, Schema = _target.Schema });
            var report = await new Reconciler().ReconcileAsync(input, reader, cancellationToken).ConfigureAwait(false);
            return atEnd
                ? path with { AtEnd = report, OffsetsAtEnd = committed }
                : path with { AtAlignment = report, OffsetsAtAlignment = committed };
        }

        private Task<IReadOnlyDictionary<SourcePartition, long>> Committed(DualRunPath path, CancellationToken cancellationToken) =>
            driver.GetCommittedOffsetsAsync(path.Group, topic, cancellationToken);

        private static bool AtEnd(IReadOnlyDictionary<SourcePartition, long> committed, IReadOnlyDictionary<SourcePartition, long> end) =>
            end.All(e => e.Value == 0 || committed.GetValueOrDefault(e.Key, -1) >= e.Value);

        private Task<bool> WaitAsync(Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken) =>
            Poll.UntilAsync(options.TimeProvider, condition, options.Timeout, options.PollInterval, cancellationToken);

        private Dictionary<string, string> Config(string key, IReadOnlyDictionary<string, string> declared, DualRunPath path, ISinkTarget target)
        {
            var config = declared.Where(kv => kv.Key != "name").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            foreach (var (setting, value) in target.GetConnectorSettings(throughProxy: false))
            {
                if (config.TryGetValue(setting, out var written) && written != value && !target.UsesScenarioTargetSettings)
                {
                    throw new ArgumentException($"{key} sets {setting}, but the {driver.Name} environment points both connectors at its own target and reconciles them there; remove {setting} from {key}, or run with --env external against that database");
                }

                config.TryAdd(setting, value);
            }

            // Both connectors read the run's topic and write tables of their own, whatever the file says, so nothing the team runs is touched.
            config["topics"] = topic;
            config.Remove("topics.regex");
            config["table.name.format"] = path.Table;
            return config;
        }

        private async Task TryAsync(string what, Func<Task> action)
        {
            try
            {
                await action().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _cleanupErrors.Add(SecretRedactor.RedactText($"Could not {what}: {ex.Message}"));
            }
        }

        private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
    }
}
