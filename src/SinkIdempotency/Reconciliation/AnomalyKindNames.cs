namespace SinkIdempotency.Reconciliation;

/// <summary>Converts anomaly kinds, verdicts and semantics to and from the names used in reports and JSON.</summary>
public static class AnomalyKindNames
{
    /// <summary>Gets the report name of an anomaly kind.</summary>
    /// <param name="kind">The anomaly kind.</param>
    /// <returns>The kebab-case name, for example <c>silently-dropped</c>.</returns>
    public static string ToName(this AnomalyKind kind) => kind switch
    {
        AnomalyKind.Lost => "lost",
        AnomalyKind.Duplicated => "duplicated",
        AnomalyKind.Unexpected => "unexpected",
        AnomalyKind.Stale => "stale",
        AnomalyKind.Unseen => "unseen",
        AnomalyKind.DeadLettered => "dead-lettered",
        AnomalyKind.SilentlyDropped => "silently-dropped",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown anomaly kind."),
    };

    /// <summary>Gets the report name of a verdict.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns><c>green</c>, <c>yellow</c> or <c>red</c>.</returns>
    public static string ToName(this Verdict verdict) => verdict switch
    {
        Verdict.Green => "green",
        Verdict.Yellow => "yellow",
        Verdict.Red => "red",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Unknown verdict."),
    };

    /// <summary>Gets the report name of a declared semantics.</summary>
    /// <param name="semantics">The declared semantics.</param>
    /// <returns><c>exactly-once-effect</c>, <c>at-least-once</c> or <c>upsert-by-key</c>.</returns>
    public static string ToName(this DeclaredSemantics semantics) => semantics switch
    {
        DeclaredSemantics.ExactlyOnceEffect => "exactly-once-effect",
        DeclaredSemantics.AtLeastOnce => "at-least-once",
        DeclaredSemantics.UpsertByKey => "upsert-by-key",
        _ => throw new ArgumentOutOfRangeException(nameof(semantics), semantics, "Unknown semantics."),
    };

    /// <summary>Parses the report name of an anomaly kind.</summary>
    /// <param name="name">The kebab-case name.</param>
    /// <returns>The anomaly kind.</returns>
    /// <exception cref="ArgumentException">Thrown when the name is not an anomaly kind.</exception>
    public static AnomalyKind ParseAnomalyKind(string name) =>
        Enum.GetValues<AnomalyKind>().FirstOrDefault(k => k.ToName() == name) is var kind && kind.ToName() == name
            ? kind
            : throw new ArgumentException($"'{name}' is not an anomaly kind; use one of {string.Join(", ", Enum.GetValues<AnomalyKind>().Select(k => k.ToName()))}.", nameof(name));
}
