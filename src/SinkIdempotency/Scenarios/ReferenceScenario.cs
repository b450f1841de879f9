namespace SinkIdempotency.Scenarios;

/// <summary>Pairs one cell of the <see cref="ReferenceMatrix"/> with its column and the verdict it is known to get.</summary>
/// <param name="Column">The configuration column, <see cref="ReferenceMatrix.InsertColumn"/> or <see cref="ReferenceMatrix.UpsertColumn"/>.</param>
/// <param name="Scenario">The scenario, named <c>failure-case/column</c>.</param>
/// <param name="MustBeRed">Whether the scenario must come out red (the known-bad column) or must not (the known-good column).</param>
public sealed record ReferenceScenario(string Column, Scenario Scenario, bool MustBeRed)
{
    /// <summary>Gets the scenario's name, for example <c>crash-after-target-write/postgres-insert</c>.</summary>
    public string Name => Scenario.Name;
}
