namespace SinkIdempotency.Assessment;

/// <summary>Declares a topic's ingest rate as the assessment file states it: the average, the peak, and the average record size.</summary>
/// <param name="AverageRecordsPerSecond">The average rate, or <see langword="null"/> when not declared.</param>
/// <param name="PeakRecordsPerSecond">The peak rate, or <see langword="null"/> when not declared; capacity is planned from it.</param>
/// <param name="RecordBytes">The average size of a record on the topic (key, value and headers), in bytes.</param>
public sealed record IngestRate(double? AverageRecordsPerSecond, double? PeakRecordsPerSecond, long RecordBytes)
{
    /// <summary>Gets the peak bytes per second, or <see langword="null"/> without a declared peak.</summary>
    public double? PeakBytesPerSecond => PeakRecordsPerSecond * RecordBytes;
}
