using SinkIdempotency.Connect;

namespace SinkIdempotency.Environments;

/// <summary>Describes one Connect worker of an environment and the tasks it runs, as the status API reports them.</summary>
/// <param name="WorkerId">Gets the worker id Connect reports in statuses (<c>host:port</c> of its REST listener).</param>
/// <param name="RestUrl">Gets the worker's REST URL.</param>
/// <param name="IsRunning">Gets a value indicating whether the worker process (or container) is alive as far as the environment knows.</param>
/// <param name="ProcessId">Gets the operating-system process id, when the environment runs the worker as a local process.</param>
/// <param name="Tasks">Gets the connector tasks the status API places on this worker.</param>
/// <param name="Connectors">Gets the connector instances the status API places on this worker.</param>
public sealed record WorkerInfo(
    string WorkerId,
    Uri RestUrl,
    bool IsRunning,
    int? ProcessId,
    IReadOnlyList<ConnectorTaskId> Tasks,
    IReadOnlyList<string> Connectors);
