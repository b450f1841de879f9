using SinkIdempotency.Proxy;

namespace SinkIdempotency.Targets;

/// <summary>Gives a scenario run one target store: the connector settings that point a sink at it, a reader of what landed, cleanup of the run's table, and which failure cases it supports.</summary>
/// <remarks>
/// The scenario driver obtains one per <see cref="ScenarioTarget.Kind"/> (<see cref="Scenarios.IScenarioDriver.GetTargetAsync"/>)
/// and disposes it with itself. PostgreSQL is the default; the embedded environment also serves MySQL/MariaDB, started
/// the first time a scenario asks for it, and folders for the worker's file sink (append or deterministic). The target is
/// always read directly, never through the fault proxy.
/// </remarks>
public interface ISinkTarget : IAsyncDisposable
{
    /// <summary>Gets the target kind, as in <see cref="ScenarioTarget.Kind"/>.</summary>
    string Kind { get; }

    /// <summary>Gets the schema (PostgreSQL) or database (MySQL) in which the sink creates the run's table.</summary>
    string Schema { get; }

    /// <summary>Gets the fault proxy between the connectors and this target, or <see langword="null"/> when there is none.</summary>
    TargetFaultProxy? Proxy { get; }

    /// <summary>Gets a value indicating whether a scenario's own target settings (<c>connection.url</c>, user, password) are used as written.</summary>
    /// <value><see langword="true"/> only on a team's own database (the external environment), unless a fault needs the proxy.</value>
    bool UsesScenarioTargetSettings { get; }

    /// <summary>Tells why the target cannot take part in a scenario's failure case, or <see langword="null"/> when it can.</summary>
    /// <param name="scenario">The scenario; its fault and poison records are checked.</param>
    /// <returns>A sentence naming what is unsupported and what to change, or <see langword="null"/>.</returns>
    string? ExplainUnsupported(Scenarios.Scenario scenario);

    /// <summary>Creates the connector settings that point a sink at the target (<c>connection.url</c>, user, password; <c>file.directory</c> and <c>file.mode</c> for files).</summary>
    /// <param name="throughProxy">Whether the connection goes through <see cref="Proxy"/>.</param>
    /// <returns>The settings to merge into the connector configuration; <c>${table}</c> in a value becomes the run's table name.</returns>
    IReadOnlyDictionary<string, string> GetConnectorSettings(bool throughProxy);

    /// <summary>Opens a reader over one of the target's tables; a table the sink has not created yet reads as empty.</summary>
    /// <param name="mapping">The table and its columns.</param>
    /// <returns>The reader; it reads directly, never through the proxy.</returns>
    ITargetReader OpenReader(PostgreSqlTableMapping mapping);

    /// <summary>Drops a run's table if it exists.</summary>
    /// <param name="schema">The schema or database.</param>
    /// <param name="table">The table; it must be in a run namespace.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the table is gone.</returns>
    Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default);

    /// <summary>Counts the connections of a frozen worker on which the target is still handling a write it was sent: a statement executing, a request not yet applied.</summary>
    /// <param name="clientPorts">The local ports of the worker's connections to the target's own port (127.0.0.1), found by the environment that froze it.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Zero when every one of those connections is idle or waits on the frozen client itself (which cannot move until the worker runs again): nothing the worker sent can still land.</returns>
    /// <remarks>
    /// The environment asks after the kernel's socket queues of those connections are empty (the server has read every
    /// byte), so the answer covers what the server does with bytes already read. A target without connections (files)
    /// answers zero: a process whose threads are all stopped has no file system call in progress.
    /// </remarks>
    Task<int> CountWritesInFlightAsync(IReadOnlyCollection<int> clientPorts, CancellationToken cancellationToken = default);

    /// <summary>Narrows a run's table so the poison records that must fail at the target do (see <see cref="Scenarios.PoisonKind"/>).</summary>
    /// <param name="schema">The schema or database.</param>
    /// <param name="table">The run's table; it must be in a run namespace.</param>
    /// <param name="kinds">The poison kinds that must fail at the target.</param>
    /// <param name="workload">The workload, whose payload size sets the column width.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The statement that was run, for the evidence.</returns>
    /// <exception cref="NotSupportedException">The target cannot be narrowed; <see cref="ExplainUnsupported"/> refuses such scenarios first.</exception>
    Task<string> ConstrainForPoisonAsync(string schema, string table, IReadOnlyCollection<Scenarios.PoisonKind> kinds, Scenarios.ScenarioWorkload workload, CancellationToken cancellationToken = default);
}
