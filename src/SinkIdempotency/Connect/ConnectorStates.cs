namespace SinkIdempotency.Connect;

/// <summary>Names the states Kafka Connect reports for connectors and tasks (<c>AbstractStatus.State</c>).</summary>
public static class ConnectorStates
{
    /// <summary>Names the state of an instance not yet assigned to a worker.</summary>
    public const string Unassigned = "UNASSIGNED";

    /// <summary>Names the state of a running instance.</summary>
    public const string Running = "RUNNING";

    /// <summary>Names the state of a paused instance.</summary>
    public const string Paused = "PAUSED";

    /// <summary>Names the state of a failed instance.</summary>
    public const string Failed = "FAILED";

    /// <summary>Names the state of an instance being restarted.</summary>
    public const string Restarting = "RESTARTING";

    /// <summary>Names the state of a stopped connector (its tasks are absent).</summary>
    public const string Stopped = "STOPPED";
}
