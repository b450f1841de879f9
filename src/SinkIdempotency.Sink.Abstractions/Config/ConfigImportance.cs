namespace SinkIdempotency.Sink;

/// <summary>Ranks configuration keys for documentation, as Connect's <c>ConfigDef.Importance</c> does.</summary>
public enum ConfigImportance
{
    /// <summary>Rarely changed.</summary>
    Low,

    /// <summary>Sometimes changed.</summary>
    Medium,

    /// <summary>Usually set.</summary>
    High,
}
