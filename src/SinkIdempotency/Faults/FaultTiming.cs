namespace SinkIdempotency.Faults;

/// <summary>Says when a fault acts in a scenario.</summary>
public enum FaultTiming
{
    /// <summary>While records flow: the fault starts as soon as the connector runs and production begins.</summary>
    DuringStream,

    /// <summary>After the pipeline settled and was reconciled once; the runner settles and reconciles again afterwards.</summary>
    AfterSettle,
}
