namespace SinkIdempotency.Worker.Runtime;

/// <summary>Receives task state changes (Connect's <c>TaskStatus.Listener</c>).</summary>
internal interface ITaskStatusListener
{
    void OnStartup(ConnectorTaskId id);

    void OnPause(ConnectorTaskId id);

    void OnResume(ConnectorTaskId id);

    void OnFailure(ConnectorTaskId id, Exception cause);

    void OnShutdown(ConnectorTaskId id);
}
