namespace SinkIdempotency.Worker.Cluster;

/// <summary>A restart asked through REST: a whole connector (optionally its tasks) or one task (<see cref="Task"/> set).</summary>
internal sealed record RestartRequest(string Connector, int? Task, bool IncludeTasks, bool OnlyFailed);
