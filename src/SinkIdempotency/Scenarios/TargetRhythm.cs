using SinkIdempotency.Targets;

namespace SinkIdempotency.Scenarios;

/// <summary>Learns the rhythm at which a sink changes its target during a run: the longest gap between two consecutive changes that no fault disturbed.</summary>
/// <remarks>
/// A sink that writes behind (it flushes every few seconds, or a loader publishes files on a schedule) leaves the target
/// unchanged for a while between two flushes even though records are on their way. Settling on a fixed quiet period
/// shorter than that gap grades the run mid-flush and reports records in flight as lost. The runner therefore waits for
/// the target to stay unchanged for twice the longest gap seen. Gaps during which the fault acted (a kill, a restart, a
/// freeze, a withheld reply) say nothing about the sink's rhythm and are left out. The stream's first record counts as a
/// change, so a sink whose first flush comes late (its whole stream fits between two flushes) is known to be slow before
/// its second flush is seen.
/// </remarks>
internal sealed class TargetRhythm
{
    private readonly Lock _gate = new();
    private TargetSummary? _last;
    private DateTimeOffset? _lastChange;
    private TimeSpan _longestGap;

    /// <summary>Gets the longest undisturbed gap between two target changes seen so far.</summary>
    public TimeSpan LongestGap
    {
        get
        {
            lock (_gate)
            {
                return _longestGap;
            }
        }
    }

    /// <summary>Gets when the target was last seen to change, or <see langword="null"/> before it changed.</summary>
    public DateTimeOffset? LastChange
    {
        get
        {
            lock (_gate)
            {
                return _lastChange;
            }
        }
    }

    /// <summary>Marks the moment the first record is produced: the first target change after it measures how long the sink takes to show anything.</summary>
    /// <param name="at">When production starts.</param>
    public void Begin(DateTimeOffset at)
    {
        lock (_gate)
        {
            _lastChange ??= at;
        }
    }

    /// <summary>Records one read of the target.</summary>
    /// <param name="at">When the read finished.</param>
    /// <param name="summary">What it read.</param>
    /// <param name="disturbed">Tells whether the fault acted between two instants; such a gap is not the sink's rhythm.</param>
    public void Observe(DateTimeOffset at, TargetSummary summary, Func<DateTimeOffset, DateTimeOffset, bool> disturbed)
    {
        lock (_gate)
        {
            if (_last is null)
            {
                _last = summary;
                return;
            }

            if (summary == _last.Value || (_lastChange is { } seen && at < seen))
            {
                return;
            }

            _last = summary;
            if (_lastChange is { } previous && at - previous > _longestGap && !disturbed(previous, at))
            {
                _longestGap = at - previous;
            }

            _lastChange = at;
        }
    }

    /// <summary>Returns how long the target must stay unchanged to count as settled: the scenario's quiet period, or twice the sink's longest gap when that is longer.</summary>
    /// <param name="stableFor">The scenario's <see cref="Scenario.StableFor"/>.</param>
    /// <returns>The quiet period to wait for.</returns>
    public TimeSpan Required(TimeSpan stableFor)
    {
        var twice = LongestGap * 2;
        return twice > stableFor ? twice : stableFor;
    }
}
