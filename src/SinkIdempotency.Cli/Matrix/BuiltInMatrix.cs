using SinkIdempotency.Cli.Run;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Cli.Matrix;

/// <summary>Defines the default failure matrix of <c>sink-idempotency run</c>: the harness's known-answer matrix (<see cref="ReferenceMatrix"/>).</summary>
/// <remarks>
/// The scenarios, their workload and timeouts are exactly those the integration suite proves red or not red; the
/// embedded environment starts with <see cref="ReferenceMatrix.EnvironmentBuilder()"/> for the same reason.
/// </remarks>
internal static class BuiltInMatrix
{
    /// <summary>Gets the twelve entries: for each failure case, the bad then the good configuration.</summary>
    public static IReadOnlyList<MatrixEntry> Entries { get; } =
        [.. ReferenceMatrix.Scenarios.Select(s => new MatrixEntry(s.Column, s.Scenario, "built-in"))];

    /// <summary>Gets the Docker environment's twelve entries: the same failure cases for the real Confluent JDBC sink (<see cref="JdbcSinkMatrix"/>).</summary>
    public static IReadOnlyList<MatrixEntry> DockerEntries { get; } =
        [.. JdbcSinkMatrix.Scenarios.Select(s => new MatrixEntry(s.Column, s.Scenario, "built-in"))];

    /// <summary>Returns the default matrix of an environment: the JDBC sink's for Docker (the Connect image carries it), the reference sink's otherwise.</summary>
    /// <param name="kind">The environment.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<MatrixEntry> For(EnvironmentKind kind) => kind == EnvironmentKind.Docker ? DockerEntries : Entries;
}
