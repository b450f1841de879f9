namespace SinkIdempotency.Evidence;

/// <summary>Collects the evidence of one scenario run in the order it was observed; safe for concurrent writers.</summary>
public sealed class EvidenceTimeline
{
    private readonly Lock _gate = new();
    private readonly List<EvidenceEvent> _events = [];

    /// <summary>Gets the number of events recorded so far.</summary>
    /// <value>Zero for a new timeline.</value>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Appends one event.</summary>
    /// <param name="evidence">The event.</param>
    public void Add(EvidenceEvent evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        lock (_gate)
        {
            _events.Add(evidence);
        }
    }

    /// <summary>Copies the events recorded so far, ordered by time (ties keep recording order).</summary>
    /// <returns>The events.</returns>
    public IReadOnlyList<EvidenceEvent> Snapshot()
    {
        lock (_gate)
        {
            return [.. _events.OrderBy(e => e.At)];
        }
    }

    /// <summary>Copies the events of one kind, ordered by time.</summary>
    /// <typeparam name="TEvidence">The kind of event.</typeparam>
    /// <returns>The matching events.</returns>
    public IReadOnlyList<TEvidence> OfType<TEvidence>()
        where TEvidence : EvidenceEvent => [.. Snapshot().OfType<TEvidence>()];
}
