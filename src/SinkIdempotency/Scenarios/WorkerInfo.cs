namespace SinkIdempotency.Scenarios;

/// <summary>Describes one Connect worker of an environment.</summary>
/// <param name="Id">The environment's handle for the worker, used to kill or restart it.</param>
/// <param name="ConnectWorkerId">The id Kafka Connect reports for the worker in status responses (<c>worker_id</c>, usually <c>host:port</c>).</param>
/// <param name="Alive">Whether the worker process is running.</param>
public sealed record WorkerInfo(string Id, string ConnectWorkerId, bool Alive = true);
