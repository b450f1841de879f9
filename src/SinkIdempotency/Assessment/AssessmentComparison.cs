namespace SinkIdempotency.Assessment;

/// <summary>Puts two assessments side by side row by row (e.g. the same assessment file run against two Kafka-compatible platforms).</summary>
/// <param name="Left">The first assessment.</param>
/// <param name="Right">The second assessment.</param>
/// <param name="Rows">The rows of both, matched by title: the first assessment's order, then rows only the second has.</param>
public sealed record AssessmentComparison(AssessmentScorecard Left, AssessmentScorecard Right, IReadOnlyList<ComparedRow> Rows)
{
    /// <summary>Gets the rows whose status differs between the two assessments (a row only one has counts).</summary>
    public IReadOnlyList<ComparedRow> Differences => [.. Rows.Where(r => r.StatusDiffers)];

    /// <summary>Matches two assessments' rows by title and their figures by name.</summary>
    /// <param name="left">The first assessment.</param>
    /// <param name="right">The second assessment.</param>
    /// <returns>The comparison.</returns>
    public static AssessmentComparison Compare(AssessmentScorecard left, AssessmentScorecard right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var titles = left.Rows.Select(r => r.Title).Concat(right.Rows.Select(r => r.Title)).Distinct(StringComparer.Ordinal);
        var rows = titles.Select(title =>
        {
            var a = left.Rows.FirstOrDefault(r => r.Title == title);
            var b = right.Rows.FirstOrDefault(r => r.Title == title);
            var names = (a?.Figures ?? []).Concat(b?.Figures ?? []).Select(f => (f.Name, f.Unit)).DistinctBy(f => f.Name, StringComparer.Ordinal);
            return new ComparedRow(title, a, b, [.. names.Select(n => new ComparedFigure(n.Name, n.Unit, a?.Figure(n.Name)?.Value, b?.Figure(n.Name)?.Value))]);
        });
        return new AssessmentComparison(left, right, [.. rows]);
    }
}
