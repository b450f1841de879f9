using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets.Files;

namespace SinkIdempotency.Targets;

/// <summary>Serves a files target for the worker's file sink: each run writes JSON-lines files into a folder of its own under one root, read back by <see cref="FileSinkReader"/>.</summary>
/// <remarks>
/// The connector settings are <c>file.directory</c> (the root joined with the run's table name, <c>${table}</c>) and
/// <c>file.mode</c>: <c>append</c> for <see cref="ScenarioTarget.FilesAppendKind"/>, <c>deterministic</c> for
/// <see cref="ScenarioTarget.FilesDeterministicKind"/>. <see cref="Schema"/> is the root, so the run's table names its
/// folder; <see cref="DropTableAsync"/> deletes that folder. There is no fault proxy: faults that act on the target's
/// network path are refused, as are poison records that must fail at the target (a file takes any line). Crashes, replays,
/// rebalances and broker faults are supported: a line is in the file once the worker's write call returned, so a frozen
/// worker has nothing in flight at the target.
/// </remarks>
internal sealed class FileSinkTarget : ISinkTarget
{
    private readonly string _mode;

    /// <summary>Initializes a files target.</summary>
    /// <param name="kind"><see cref="ScenarioTarget.FilesAppendKind"/> or <see cref="ScenarioTarget.FilesDeterministicKind"/>.</param>
    /// <param name="root">The folder under which each run's folder is made; it must exist.</param>
    /// <exception cref="ArgumentException">The kind is not a files kind.</exception>
    public FileSinkTarget(string kind, string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _mode = kind switch
        {
            ScenarioTarget.FilesAppendKind => "append",
            ScenarioTarget.FilesDeterministicKind => "deterministic",
            _ => throw new ArgumentException($"'{kind}' is not a files target kind; use {ScenarioTarget.FilesAppendKind} or {ScenarioTarget.FilesDeterministicKind}.", nameof(kind)),
        };
        Kind = kind;
        Schema = Path.GetFullPath(root);
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <inheritdoc />
    /// <value>The root folder; a run's files are in the subfolder named after its table.</value>
    public string Schema { get; }

    /// <inheritdoc />
    /// <value>Always <see langword="null"/>: files have no network path to fault.</value>
    public TargetFaultProxy? Proxy => null;

    /// <inheritdoc />
    public bool UsesScenarioTargetSettings => false;

    /// <inheritdoc />
    public string? ExplainUnsupported(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Fault is { NeedsTargetProxy: true } fault)
        {
            return $"The {Kind} target is a local folder with no network path, so {fault.Name} (a fault on the target fault proxy) cannot act on it. Use crash-after-target-write, replay or rebalance, or a target.kind with a server ({ScenarioTarget.PostgreSqlKind}, {ScenarioTarget.MySqlKind}).";
        }

        if (scenario.Fault?.PoisonRecords(scenario.Workload).Where(p => p.FailsAtTarget).Select(p => p.Kind).Distinct().ToList() is { Count: > 0 } kinds)
        {
            return $"The {Kind} target takes any line, so poison records that must fail at the target ({string.Join(", ", kinds)}) never would. Use poison kinds that fail in the converter, or target.kind {ScenarioTarget.PostgreSqlKind}.";
        }

        return null;
    }

    /// <inheritdoc />
    /// <remarks><c>file.directory</c> carries <c>${table}</c>, which the run resolves to its table name.</remarks>
    public IReadOnlyDictionary<string, string> GetConnectorSettings(bool throughProxy) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["file.directory"] = Path.Combine(Schema, "${table}"),
        ["file.mode"] = _mode,
    };

    /// <inheritdoc />
    /// <remarks>
    /// The mapping's column names name the record value's fields (event id, key, version, hashed payload); the Kafka
    /// coordinates come from each line. <see cref="PostgreSqlTableMapping.Filter"/> and the coordinate columns are not used.
    /// </remarks>
    public ITargetReader OpenReader(PostgreSqlTableMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return new FileSinkReader(RunFolder(mapping.Schema, mapping.Table), JsonValueMapping.From(mapping));
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The table is not in a run namespace; the harness deletes only what a run created.</exception>
    public Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default)
    {
        RunNamespace.EnsureRunScoped("table", table);
        var folder = RunFolder(schema, table);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: <see cref="ExplainUnsupported"/> refuses scenarios that need it.</exception>
    public Task<string> ConstrainForPoisonAsync(string schema, string table, IReadOnlyCollection<PoisonKind> kinds, ScenarioWorkload workload, CancellationToken cancellationToken = default) =>
        Task.FromException<string>(new NotSupportedException($"The {Kind} target takes any line; it cannot be narrowed for poison records."));

    /// <inheritdoc />
    /// <remarks>
    /// Always zero: the sink writes with system calls of its own process, and a thread stops (SIGSTOP) only between them, so
    /// a frozen worker has no write in progress. A deterministic object is written to a hidden temporary file and renamed
    /// into place; a freeze between the two leaves the temporary file, which the reader does not read, and the rename,
    /// the one call that makes the object visible, either happened or never will.
    /// </remarks>
    public Task<int> CountWritesInFlightAsync(IReadOnlyCollection<int> clientPorts, CancellationToken cancellationToken = default) => Task.FromResult(0);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string RunFolder(string schema, string table)
    {
        if (table.Length == 0 || table != Path.GetFileName(table) || table is "." or "..")
        {
            throw new ArgumentException($"The run's table name '{table}' must be a single folder name under {Schema}.", nameof(table));
        }

        var root = Path.GetFullPath(string.IsNullOrEmpty(schema) ? Schema : schema);
        return root != Schema
            ? throw new ArgumentException($"The files target reads and deletes only under its root {Schema}, not under '{schema}'.", nameof(schema))
            : Path.Combine(root, table);
    }
}
