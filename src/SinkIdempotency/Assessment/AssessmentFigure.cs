namespace SinkIdempotency.Assessment;

/// <summary>Holds one measured or derived figure of an assessment row, e.g. the replay throughput.</summary>
/// <param name="Name">The figure's name, stable for tools reading <c>assessment.json</c> (e.g. <c>replayRecordsPerSecond</c>).</param>
/// <param name="Value">The value, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit, e.g. <c>records/s</c>, <c>MB/s</c>, <c>s</c>, <c>bytes</c>, <c>workers</c>.</param>
public sealed record AssessmentFigure(string Name, double Value, string Unit);
