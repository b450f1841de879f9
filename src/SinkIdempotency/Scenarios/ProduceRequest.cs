namespace SinkIdempotency.Scenarios;

/// <summary>Asks an environment to produce a scenario's workload to its topic.</summary>
/// <param name="Topic">The topic, created by the run.</param>
/// <param name="EventIdPrefix">The prefix of every event id (the run id), so rows of other runs never match.</param>
/// <param name="Workload">The shape of the workload.</param>
/// <param name="Poison">The records to replace with poison records; empty for none.</param>
public sealed record ProduceRequest(string Topic, string EventIdPrefix, ScenarioWorkload Workload, IReadOnlyList<PoisonRecord> Poison);
