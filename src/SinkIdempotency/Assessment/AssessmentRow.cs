namespace SinkIdempotency.Assessment;

/// <summary>Holds one graded row of an assessment: its area, status, the sentence that explains it, the figures behind it and the team's remediation plan.</summary>
/// <param name="Area">The area the row grades.</param>
/// <param name="Subject">What the row is about within the area, e.g. the topic name, or <see langword="null"/> for the whole area.</param>
/// <param name="Status">The grade.</param>
/// <param name="Summary">One sentence saying why the row has its status, naming the figures that decided it.</param>
/// <param name="Figures">The measured and derived figures, in the order the reports print them.</param>
/// <param name="Remediation">The remediation plan from the assessment file, or <see langword="null"/> when it gives none.</param>
public sealed record AssessmentRow(
    AssessmentArea Area,
    string? Subject,
    AssessmentStatus Status,
    string Summary,
    IReadOnlyList<AssessmentFigure> Figures,
    string? Remediation = null)
{
    /// <summary>Gets the committed offsets behind the row, per group, partition and stage (the rollback dual run's evidence).</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<AssessedOffsets> Offsets { get; init; } = [];

    /// <summary>Gets the row's name in reports and errors, e.g. <c>Kafka layer: orders</c>.</summary>
    public string Title => Subject is null ? AreaTitle(Area) : $"{AreaTitle(Area)}: {Subject}";

    /// <summary>Formats an area as the scorecard names it.</summary>
    /// <param name="area">The area.</param>
    /// <returns>E.g. <c>Connector semantics</c>.</returns>
    public static string AreaTitle(AssessmentArea area) => area switch
    {
        AssessmentArea.ConnectorSemantics => "Connector semantics",
        AssessmentArea.KafkaLayer => "Kafka layer",
        AssessmentArea.TargetWrites => "Target writes",
        AssessmentArea.CostModel => "Cost model",
        AssessmentArea.Rollback => "Rollback",
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, "Unknown assessment area."),
    };

    /// <summary>Gets a figure by name.</summary>
    /// <param name="name">The figure's name.</param>
    /// <returns>The figure, or <see langword="null"/>.</returns>
    public AssessmentFigure? Figure(string name) => Figures.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
