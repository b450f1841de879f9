namespace SinkIdempotency.Assessment;

/// <summary>Holds one figure of a row in two assessments side by side.</summary>
/// <param name="Name">The figure's name, e.g. <c>replayRecordsPerSecond</c>.</param>
/// <param name="Unit">The figure's unit.</param>
/// <param name="Left">The value in the first assessment, or <see langword="null"/> when it has no such figure.</param>
/// <param name="Right">The value in the second assessment, or <see langword="null"/> when it has no such figure.</param>
public sealed record ComparedFigure(string Name, string Unit, double? Left, double? Right)
{
    /// <summary>Gets a value indicating whether the two values differ (or only one assessment has the figure).</summary>
    public bool Differs => Left is not { } left || Right is not { } right ? Left != Right : !left.Equals(right);
}
