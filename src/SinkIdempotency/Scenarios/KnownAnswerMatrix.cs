using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Scenarios;

/// <summary>Defines a sink's known-answer matrix: every failure case of the <see cref="FaultCatalog"/> × a known-bad and a known-good configuration, each with the verdict it must reach.</summary>
/// <remarks>
/// Both columns claim <see cref="DeclaredSemantics.ExactlyOnceEffect"/>. The known-bad column must come out red (except
/// where <see cref="FaultDefinition.KnownBadIsRed"/> says the window never opens), the known-good column must not. For a
/// fault that poisons the stream the known-bad column sets <c>errors.tolerance=all</c> without a dead-letter topic and the
/// known-good column adds a dead-letter topic. The reference sink's matrix is <see cref="ReferenceMatrix.Matrix"/>; the
/// Docker environment's JDBC sink has its own.
/// </remarks>
public sealed class KnownAnswerMatrix
{
    /// <summary>Initializes a matrix and builds its scenarios.</summary>
    /// <param name="badColumn">The known-bad column's name.</param>
    /// <param name="bad">The known-bad configuration: plain inserts without a key, so every redelivery is a new row.</param>
    /// <param name="goodColumn">The known-good column's name.</param>
    /// <param name="good">The known-good configuration: upsert by Kafka coordinates, so a redelivery overwrites its own row.</param>
    /// <param name="mapping">How the sink's table maps back to the ledger.</param>
    /// <param name="servedBy">The abilities the environment that runs this matrix can have; failure cases that need more (for example broker faults on real Kafka brokers) are left out of the matrix instead of skipping in every run. Null (the default) keeps every failure case.</param>
    public KnownAnswerMatrix(string badColumn, IReadOnlyDictionary<string, string> bad, string goodColumn, IReadOnlyDictionary<string, string> good, PostgreSqlTableMapping mapping, EnvironmentCapabilities? servedBy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(badColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(goodColumn);
        ArgumentNullException.ThrowIfNull(bad);
        ArgumentNullException.ThrowIfNull(good);
        ArgumentNullException.ThrowIfNull(mapping);
        BadColumn = badColumn;
        Bad = bad;
        GoodColumn = goodColumn;
        Good = good;
        Mapping = mapping;
        ServedBy = servedBy;
        Scenarios = Build();
    }

    /// <summary>Gets the known-bad column's name.</summary>
    public string BadColumn { get; }

    /// <summary>Gets the known-bad configuration.</summary>
    public IReadOnlyDictionary<string, string> Bad { get; }

    /// <summary>Gets the known-good column's name.</summary>
    public string GoodColumn { get; }

    /// <summary>Gets the known-good configuration.</summary>
    public IReadOnlyDictionary<string, string> Good { get; }

    /// <summary>Gets how the sink's table maps back to the ledger.</summary>
    public PostgreSqlTableMapping Mapping { get; }

    /// <summary>Gets the abilities the environment that runs this matrix can have, or null when the matrix keeps every failure case.</summary>
    public EnvironmentCapabilities? ServedBy { get; }

    /// <summary>Gets the scenarios in scorecard order: for each failure case, the known-bad column then the known-good column, named <c>failure-case/column</c>.</summary>
    /// <value>Two scenarios per entry of <see cref="FaultCatalog.Definitions"/> whose failure case the environment can serve.</value>
    public IReadOnlyList<ReferenceScenario> Scenarios { get; }

    private List<ReferenceScenario> Build()
    {
        var scenarios = new List<ReferenceScenario>();
        foreach (var definition in FaultCatalog.Definitions)
        {
            var bad = definition.Reference();
            if (ServedBy is { } served && (bad.RequiredCapabilities & ~served) != EnvironmentCapabilities.None)
            {
                continue;
            }

            var insert = ReferenceMatrix.Make($"{bad.Name}/{BadColumn}", Bad, DeclaredSemantics.ExactlyOnceEffect, bad, Mapping);
            var poisons = bad.PoisonRecords(insert.Workload).Count > 0;
            scenarios.Add(new ReferenceScenario(BadColumn, poisons ? insert.WithConnectorSetting("errors.tolerance", "all") : insert, MustBeRed: definition.KnownBadIsRed));
            var good = definition.Reference();
            var upsert = ReferenceMatrix.Make($"{good.Name}/{GoodColumn}", Good, DeclaredSemantics.ExactlyOnceEffect, good, Mapping);
            scenarios.Add(new ReferenceScenario(GoodColumn, poisons ? upsert.WithDeadLetterQueue() : upsert, MustBeRed: false));
        }

        return scenarios;
    }
}
