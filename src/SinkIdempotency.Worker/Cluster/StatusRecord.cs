namespace SinkIdempotency.Worker.Cluster;

/// <summary>A connector or task status as stored in the status topic (Connect's <c>AbstractStatus</c>).</summary>
internal sealed record StatusRecord(string State, string WorkerId, string? Trace);
