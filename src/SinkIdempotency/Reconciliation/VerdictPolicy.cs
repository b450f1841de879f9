namespace SinkIdempotency.Reconciliation;

/// <summary>Decides which anomalies each declared semantics allows, and grades a set of anomaly counts.</summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>anomaly</term><description>exactly-once-effect / at-least-once / upsert-by-key</description></listheader>
/// <item><term>lost</term><description>forbidden / forbidden / forbidden: every claim promises no loss.</description></item>
/// <item><term>silently-dropped</term><description>forbidden / forbidden / forbidden: a skip without a dead-letter record is a loss nobody can recover.</description></item>
/// <item><term>unexpected</term><description>forbidden / forbidden / forbidden: content nobody produced is corruption under any claim.</description></item>
/// <item><term>stale</term><description>forbidden / forbidden / forbidden: only computed under upsert, where it breaks the claim itself.</description></item>
/// <item><term>duplicated</term><description>forbidden / allowed / forbidden: visible duplicates are exactly what at-least-once permits and the others exclude (under upsert, two rows for one key).</description></item>
/// <item><term>unseen</term><description>allowed / allowed / allowed: not provably lost (never committed past); a stopped task or lag; the scenario decides whether missing convergence is red.</description></item>
/// <item><term>dead-lettered</term><description>allowed / allowed / allowed: accounted for in the dead-letter topic, which is how Connect is meant to handle bad records.</description></item>
/// </list>
/// Red means at least one forbidden anomaly, yellow only allowed ones, green none.
/// </remarks>
public static class VerdictPolicy
{
    /// <summary>Tells whether the declared semantics allow an anomaly kind.</summary>
    /// <param name="semantics">The declared semantics.</param>
    /// <param name="kind">The anomaly kind.</param>
    /// <returns><see langword="true"/> when the anomaly only makes the verdict yellow; <see langword="false"/> when it makes it red.</returns>
    public static bool IsAllowed(DeclaredSemantics semantics, AnomalyKind kind) => kind switch
    {
        AnomalyKind.Unseen or AnomalyKind.DeadLettered => true,
        AnomalyKind.Duplicated => semantics == DeclaredSemantics.AtLeastOnce,
        AnomalyKind.Lost or AnomalyKind.SilentlyDropped or AnomalyKind.Unexpected or AnomalyKind.Stale => false,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown anomaly kind."),
    };

    /// <summary>Grades anomaly counts against the declared semantics.</summary>
    /// <param name="semantics">The declared semantics.</param>
    /// <param name="counts">The number of occurrences per anomaly kind; missing kinds count as zero.</param>
    /// <returns>Red for any forbidden anomaly, yellow for only allowed ones, green for none.</returns>
    public static Verdict Grade(DeclaredSemantics semantics, IEnumerable<KeyValuePair<AnomalyKind, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var verdict = Verdict.Green;
        foreach (var (kind, count) in counts)
        {
            if (count <= 0)
            {
                continue;
            }

            if (!IsAllowed(semantics, kind))
            {
                return Verdict.Red;
            }

            verdict = Verdict.Yellow;
        }

        return verdict;
    }
}
