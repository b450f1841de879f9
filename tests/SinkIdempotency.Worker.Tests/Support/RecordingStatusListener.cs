using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Tests.Support;

/// <summary>Records task state changes in the shared event log and keeps the last failure.</summary>
internal sealed class RecordingStatusListener(EventLog events) : ITaskStatusListener
{
    public Exception? Failure { get; private set; }

    public string LastState { get; private set; } = "UNASSIGNED";

    public void OnStartup(ConnectorTaskId id) => Set("RUNNING");

    public void OnPause(ConnectorTaskId id) => Set("PAUSED");

    public void OnResume(ConnectorTaskId id) => Set("RUNNING");

    public void OnFailure(ConnectorTaskId id, Exception cause)
    {
        Failure = cause;
        Set("FAILED");
    }

    public void OnShutdown(ConnectorTaskId id) => Set("UNASSIGNED");

    private void Set(string state)
    {
        LastState = state;
        events.Add("status:" + state);
    }
}
