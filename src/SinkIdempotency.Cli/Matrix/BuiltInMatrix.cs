using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Matrix;

/// <summary>Defines the default failure matrix of <c>sink-idempotency run</c>: the harness's known-answer matrix (<see cref="ReferenceMatrix"/>).</summary>
/// <remarks>
/// The scenarios, their workload and timeouts are exactly those the integration suite proves red or not red; the
/// embedded environment starts with <see cref="ReferenceMatrix.EnvironmentBuilder"/> for the same reason.
/// </remarks>
internal static class BuiltInMatrix
{
    /// <summary>Gets the ten entries: for each failure case, the bad then the good configuration.</summary>
    public static IReadOnlyList<MatrixEntry> Entries { get; } =
        [.. ReferenceMatrix.Scenarios.Select(s => new MatrixEntry(s.Column, s.Scenario, "built-in"))];
}
