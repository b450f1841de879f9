namespace SinkIdempotency.Assessment;

/// <summary>Declares a topic an assessment grades: its largest planned replay and its ingest rate.</summary>
/// <param name="Name">The topic's name on the cluster.</param>
/// <param name="RecoveryWindow">The largest realistic recovery or rebuild the team plans to replay from the topic.</param>
/// <param name="Rate">The declared ingest rate (average and peak) and record size.</param>
public sealed record AssessedTopic(string Name, TimeSpan RecoveryWindow, IngestRate Rate);
