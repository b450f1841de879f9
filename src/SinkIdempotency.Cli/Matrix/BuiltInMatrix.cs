using SinkIdempotency.Cli.Run;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Cli.Matrix;

/// <summary>Defines the default failure matrix of <c>sink-idempotency run</c>: on <c>--env embedded</c> one column per reference configuration across targets (<see cref="AllTargetEntries"/>), on Docker the JDBC sink's.</summary>
/// <remarks>
/// The scenarios, their workload and timeouts are exactly those the integration suite proves red or not red; the
/// embedded environment starts with <see cref="ReferenceMatrix.EnvironmentBuilder()"/> for the same reason. <c>--filter</c>
/// selects columns or failure cases (for example <c>'*/postgres-*'</c> for the two PostgreSQL columns).
/// </remarks>
internal static class BuiltInMatrix
{
    /// <summary>The <see cref="MatrixEntry.Source"/> of the built-in entries.</summary>
    public const string Source = "built-in";

    /// <summary>Gets the entries of the two PostgreSQL columns (the reference matrix, also what <c>--env external</c> runs): for each failure case, the bad then the good configuration.</summary>
    public static IReadOnlyList<MatrixEntry> Entries { get; } =
        [.. ReferenceMatrix.Scenarios.Select(s => new MatrixEntry(s.Column, s.Scenario, Source))];

    /// <summary>Gets the entries of every reference configuration across targets, column by column: postgres-insert, postgres-upsert, files-append, files-deterministic, http-plain, http-idempotency-key, mysql-insert, mysql-upsert.</summary>
    /// <remarks>Each pair is a <see cref="KnownAnswerMatrix"/> (known bad, known good) whose scenarios name the pair's target; the known-bad column must be red where the failure case can open its window, the known-good one must not.</remarks>
    public static IReadOnlyList<MatrixEntry> AllTargetEntries { get; } =
    [
        .. Entries,
        .. Pair("files-append", ReferenceMatrix.FileSink, ScenarioTarget.Files(deterministic: false, ReferenceMatrix.Mapping), "files-deterministic", ReferenceMatrix.FileSink, ScenarioTarget.Files(deterministic: true, ReferenceMatrix.Mapping)),
        .. Pair("http-plain", ReferenceMatrix.HttpSink, ScenarioTarget.Http(idempotencyKey: false, ReferenceMatrix.Mapping), "http-idempotency-key", ReferenceMatrix.HttpSink, ScenarioTarget.Http(idempotencyKey: true, ReferenceMatrix.Mapping)),
        .. Pair("mysql-insert", ReferenceMatrix.PlainInsert, ScenarioTarget.MySql(ReferenceMatrix.Mapping), "mysql-upsert", ReferenceMatrix.UpsertByCoordinates, ScenarioTarget.MySql(ReferenceMatrix.Mapping)),
    ];

    /// <summary>Gets the Docker environment's twelve entries: the same failure cases for the real Confluent JDBC sink (<see cref="JdbcSinkMatrix"/>).</summary>
    public static IReadOnlyList<MatrixEntry> DockerEntries { get; } =
        [.. JdbcSinkMatrix.Scenarios.Select(s => new MatrixEntry(s.Column, s.Scenario, Source))];

    /// <summary>Returns the default matrix of an environment: the JDBC sink's for Docker (the Connect image carries it), every reference configuration across targets for embedded, the PostgreSQL columns for external (it serves a PostgreSQL target only).</summary>
    /// <param name="kind">The environment.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<MatrixEntry> For(EnvironmentKind kind) => kind switch
    {
        EnvironmentKind.Docker => DockerEntries,
        EnvironmentKind.Embedded => AllTargetEntries,
        _ => Entries,
    };

    private static IEnumerable<MatrixEntry> Pair(
        string badColumn, IReadOnlyDictionary<string, string> bad, ScenarioTarget badTarget, string goodColumn, IReadOnlyDictionary<string, string> good, ScenarioTarget goodTarget)
    {
        var matrix = new KnownAnswerMatrix(badColumn, bad, goodColumn, good, ReferenceMatrix.Mapping);
        return matrix.Scenarios.Select(s => new MatrixEntry(s.Column, s.Scenario.WithTarget(s.Column == badColumn ? badTarget : goodTarget), Source));
    }
}
