namespace SinkIdempotency.Assessment;

/// <summary>Holds one scorecard row in two assessments side by side, matched by its title.</summary>
/// <param name="Title">The row's title, e.g. <c>Kafka layer: retention of orders</c>.</param>
/// <param name="Left">The row in the first assessment, or <see langword="null"/> when it has none of that title.</param>
/// <param name="Right">The row in the second assessment, or <see langword="null"/> when it has none of that title.</param>
/// <param name="Figures">The figures of both rows, matched by name, in the first row's order.</param>
public sealed record ComparedRow(string Title, AssessmentRow? Left, AssessmentRow? Right, IReadOnlyList<ComparedFigure> Figures)
{
    /// <summary>Gets a value indicating whether the row's status differs, or the row exists in only one assessment.</summary>
    public bool StatusDiffers => Left?.Status != Right?.Status;
}
