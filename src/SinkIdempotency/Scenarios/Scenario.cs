using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Scenarios;

/// <summary>Describes one scenario: a sink connector, a workload, one fault, and the semantics the team claims.</summary>
/// <remarks>
/// Scenarios are immutable; every <c>With…</c> method returns a copy. Configuration values may use the placeholders
/// <c>${topic}</c>, <c>${dlq}</c>, <c>${table}</c>, <c>${connector}</c> and <c>${run}</c>, which the runner replaces with the
/// run's names. The runner also sets <c>topics</c> and <c>table.name.format</c> when they are absent, and the target's
/// connection settings from the environment.
/// <code>
/// var scenario = Scenario.Named("orders-upsert")
///     .WithConnector(ReferenceMatrix.UpsertByCoordinates)
///     .WithFault(new CrashAfterTargetWrite())
///     .Declaring(DeclaredSemantics.ExactlyOnceEffect);
/// </code>
/// </remarks>
public sealed record Scenario
{
    private Scenario(string name) => Name = name;

    /// <summary>Gets the scenario name, used in reports and in the run's topic, table and connector names.</summary>
    /// <value>The name given to <see cref="Named"/>.</value>
    public string Name { get; private init; }

    /// <summary>Gets the connector configuration, placeholders unresolved.</summary>
    /// <value>Empty; a scenario needs at least <c>connector.class</c>.</value>
    public IReadOnlyDictionary<string, string> ConnectorConfig { get; private init; } = new Dictionary<string, string>();

    /// <summary>Gets the workload.</summary>
    /// <value>The <see cref="ScenarioWorkload"/> defaults: 1000 records over 100 keys and 3 partitions, JsonConverter envelopes.</value>
    public ScenarioWorkload Workload { get; private init; } = new();

    /// <summary>Gets the fault, or <see langword="null"/> for a baseline run without one.</summary>
    /// <value><see langword="null"/>.</value>
    public Fault? Fault { get; private init; }

    /// <summary>Gets the semantics the team claims for the sink.</summary>
    /// <value><see cref="DeclaredSemantics.ExactlyOnceEffect"/>: no loss and no duplicates.</value>
    public DeclaredSemantics Semantics { get; private init; } = DeclaredSemantics.ExactlyOnceEffect;

    /// <summary>Gets the target store the sink writes to and how its table maps back to the ledger; the table and schema are replaced by the run's.</summary>
    /// <value>PostgreSQL with the event id in column <c>event_id</c>, nothing else mapped.</value>
    public ScenarioTarget Target { get; private init; } = new();

    /// <summary>Gets a value indicating whether the connector writes failed records to the run's dead-letter topic.</summary>
    /// <value><see langword="false"/>.</value>
    public bool DeadLetterQueue { get; private init; }

    /// <summary>Gets how long the runner waits for the pipeline to settle (everything committed, target stable) before the run is red for lack of convergence.</summary>
    /// <value>60 seconds.</value>
    public TimeSpan SettleTimeout { get; private init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets how long the committed offsets and the target must stay unchanged to count as settled.</summary>
    /// <value>1 second.</value>
    public TimeSpan StableFor { get; private init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets how long the runner waits for the connector and its tasks to run after deployment.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan StartTimeout { get; private init; } = TimeSpan.FromSeconds(30);

    /// <summary>Starts a scenario with a name and the defaults.</summary>
    /// <param name="name">The scenario name (letters, digits and dashes are kept for resource names).</param>
    /// <returns>The scenario.</returns>
    public static Scenario Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Scenario(name);
    }

    /// <summary>Returns a copy with the connector configuration replaced.</summary>
    /// <param name="config">The configuration (at least <c>connector.class</c>).</param>
    /// <returns>The new scenario.</returns>
    public Scenario WithConnector(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return this with { ConnectorConfig = new Dictionary<string, string>(config, StringComparer.Ordinal) };
    }

    /// <summary>Returns a copy with one connector setting added or replaced.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="value">The value (placeholders allowed).</param>
    /// <returns>The new scenario.</returns>
    public Scenario WithConnectorSetting(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return this with { ConnectorConfig = new Dictionary<string, string>(ConnectorConfig, StringComparer.Ordinal) { [key] = value } };
    }

    /// <summary>Returns a copy with the workload replaced.</summary>
    /// <param name="workload">The workload.</param>
    /// <returns>The new scenario.</returns>
    public Scenario WithWorkload(ScenarioWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return this with { Workload = workload };
    }

    /// <summary>Returns a copy with the workload changed by a function.</summary>
    /// <param name="change">Changes the current workload, for example <c>w =&gt; w with { Records = 5000 }</c>.</param>
    /// <returns>The new scenario.</returns>
    public Scenario WithWorkload(Func<ScenarioWorkload, ScenarioWorkload> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WithWorkload(change(Workload));
    }

    /// <summary>Returns a copy with the fault replaced.</summary>
    /// <param name="fault">The fault, or <see langword="null"/> for none.</param>
    /// <returns>The new scenario.</returns>
    public Scenario WithFault(Fault? fault) => this with { Fault = fault };

    /// <summary>Returns a copy with the declared semantics replaced.</summary>
    /// <param name="semantics">The semantics the team claims.</param>
    /// <returns>The new scenario.</returns>
    public Scenario Declaring(DeclaredSemantics semantics) => this with { Semantics = semantics };

    /// <summary>Returns a copy with the target replaced: its kind (PostgreSQL by default, MySQL/MariaDB) and table mapping.</summary>
    /// <param name="target">The target, e.g. <c>ScenarioTarget.MySql(ReferenceMatrix.Mapping)</c>.</param>
    /// <returns>The new scenario.</returns>
    public Scenario WithTarget(ScenarioTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return this with { Target = target };
    }

    /// <summary>Returns a copy with the target's table mapping replaced, keeping its kind.</summary>
    /// <param name="mapping">The mapping; its table name is replaced by the run's table (use <c>${table}</c>).</param>
    /// <returns>The new scenario.</returns>
    public Scenario WithTargetMapping(PostgreSqlTableMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return this with { Target = Target with { Mapping = mapping } };
    }

    /// <summary>Returns a copy whose connector skips failed records into the run's dead-letter topic, with context headers.</summary>
    /// <returns>The new scenario.</returns>
    /// <remarks>
    /// Adds <c>errors.tolerance=all</c>, <c>errors.deadletterqueue.topic.name=${dlq}</c>,
    /// <c>errors.deadletterqueue.context.headers.enable=true</c> and a replication factor of 1, each only where the
    /// configuration does not set it already: a team's own dead-letter topic is kept. The same keys written by hand work
    /// the same way; the runner reads the dead-letter topic from the connector's configuration, whatever its name.
    /// </remarks>
    public Scenario WithDeadLetterQueue()
    {
        var config = new Dictionary<string, string>(ConnectorConfig, StringComparer.Ordinal);
        config.TryAdd("errors.tolerance", "all");
        config.TryAdd("errors.deadletterqueue.topic.name", "${dlq}");
        config.TryAdd("errors.deadletterqueue.context.headers.enable", "true");
        config.TryAdd("errors.deadletterqueue.topic.replication.factor", "1");
        return this with { DeadLetterQueue = true, ConnectorConfig = config };
    }

    /// <summary>Returns a copy with other timeouts.</summary>
    /// <param name="settle">How long to wait for the pipeline to settle, or <see langword="null"/> to keep it.</param>
    /// <param name="stableFor">How long offsets and target must stay unchanged, or <see langword="null"/> to keep it.</param>
    /// <param name="start">How long to wait for the connector to run, or <see langword="null"/> to keep it.</param>
    /// <returns>The new scenario.</returns>
    public Scenario WithTimeouts(TimeSpan? settle = null, TimeSpan? stableFor = null, TimeSpan? start = null) =>
        this with { SettleTimeout = settle ?? SettleTimeout, StableFor = stableFor ?? StableFor, StartTimeout = start ?? StartTimeout };

    /// <summary>Checks the scenario and throws when it cannot run, saying what to change.</summary>
    /// <exception cref="ArgumentException">Thrown when the scenario is incomplete or inconsistent.</exception>
    public void Validate()
    {
        Workload.Validate();
        if (!ConnectorConfig.TryGetValue("connector.class", out var connectorClass) || string.IsNullOrWhiteSpace(connectorClass))
        {
            throw new ArgumentException($"Scenario '{Name}' has no connector.class; call WithConnector with the sink's configuration.");
        }

        if (ConnectorConfig.ContainsKey("name"))
        {
            throw new ArgumentException($"Scenario '{Name}' sets the connector 'name'; remove it: the runner names the connector after the run (use ${{connector}} to refer to it).");
        }

        if (SettleTimeout <= TimeSpan.Zero || StableFor <= TimeSpan.Zero || StartTimeout <= TimeSpan.Zero || StableFor >= SettleTimeout)
        {
            throw new ArgumentException($"Scenario '{Name}' needs positive timeouts with StableFor shorter than SettleTimeout.");
        }

        Fault?.Validate(this);
        var poison = Fault?.PoisonRecords(Workload) ?? [];
        foreach (var record in poison)
        {
            record.Validate(Workload);
        }

        if (poison.GroupBy(p => p.Index).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Scenario '{Name}': the fault {Fault!.Name} poisons record {twice.Key} more than once; give each poison record its own index.");
        }

        Target.Validate();
    }
}
