namespace SinkIdempotency.Assessment;

/// <summary>Grades a topic's retention against the declared recovery window at the declared peak ingest rate (the Kafka layer's retention row).</summary>
/// <remarks>
/// <para>
/// "Retention should be based on the largest realistic recovery or rebuild": the topic must still hold the whole recovery
/// window when the team replays it. <c>retention.ms</c> must be at least the window; <c>retention.bytes</c>, which Kafka
/// applies to each partition, must hold the bytes the window brings at the peak rate, spread over the partitions.
/// </para>
/// <para>
/// Red when either limit drops part of the window. Yellow when the window fits with less than
/// <see cref="Headroom"/> to spare (Kafka deletes whole segments, so the size limit can keep up to one segment less than
/// it says), or when no peak rate is declared and the size limit could only be checked at the average. Not assessed when
/// the cluster does not report the topic's configs (no DescribeConfigs) or no rate is declared for a size-limited topic.
/// </para>
/// </remarks>
public static class RetentionRule
{
    /// <summary>Gets the spare fraction of the window below which a fitting retention is yellow, not green.</summary>
    /// <value>0.2: the topic keeps at least 1.2 times the window.</value>
    public static double Headroom => 0.2;

    /// <summary>Grades one topic's retention.</summary>
    /// <param name="topic">The topic, as the assessment file names it.</param>
    /// <param name="retention">The topic's retention as DescribeConfigs reported it, or <see langword="null"/> when the cluster could not report it.</param>
    /// <param name="notAssessedReason">Why <paramref name="retention"/> is missing (e.g. the cluster does not serve DescribeConfigs); used when it is <see langword="null"/>.</param>
    /// <param name="recoveryWindow">The largest replay the team plans for the topic.</param>
    /// <param name="rate">The declared ingest rate.</param>
    /// <returns>The graded row, with the retention figures that decided it.</returns>
    public static AssessmentRow Evaluate(string topic, TopicRetention? retention, string? notAssessedReason, TimeSpan recoveryWindow, IngestRate rate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(recoveryWindow, TimeSpan.Zero);
        if (retention is null)
        {
            return Row(topic, AssessmentStatus.NotAssessed, $"Retention not assessed: {notAssessedReason ?? "the cluster did not report the topic's configs"}.", []);
        }

        var figures = new List<AssessmentFigure>
        {
            new("recoveryWindowSeconds", recoveryWindow.TotalSeconds, "s"),
            new("retentionMs", retention.RetentionMs, "ms"),
            new("retentionBytesPerPartition", retention.RetentionBytes, "bytes"),
            new("partitions", retention.Partitions, "partitions"),
        };
        var window = AssessmentText.Duration(recoveryWindow);

        // Time limit first: it does not depend on the rate.
        if (retention.RetentionTime is { } kept && kept < recoveryWindow)
        {
            return Row(topic, AssessmentStatus.Red, $"retention.ms={AssessmentText.Number(retention.RetentionMs)} keeps {AssessmentText.Duration(kept)}, less than the declared recovery window of {window}: a replay of the window finds its oldest records deleted.", figures);
        }

        var timeRatio = retention.RetentionTime is { } t ? t / recoveryWindow : double.PositiveInfinity;
        if (retention.RetainedBytesLimit is not { } limit)
        {
            return timeRatio < 1 + Headroom
                ? Row(topic, AssessmentStatus.Yellow, $"retention.ms={AssessmentText.Number(retention.RetentionMs)} keeps {AssessmentText.Duration(retention.RetentionTime!.Value)}, under {AssessmentText.Percent(Headroom)} more than the recovery window of {window}; retention.bytes sets no limit.", figures)
                : Row(topic, AssessmentStatus.Green, $"retention.ms={(retention.RetentionMs < 0 ? "-1 (forever)" : AssessmentText.Number(retention.RetentionMs))} covers the recovery window of {window} and retention.bytes sets no limit.", figures);
        }

        var (perSecond, atPeak) = rate.PeakRecordsPerSecond is { } peak ? (peak, true) : (rate.AverageRecordsPerSecond, false);
        if (perSecond is not { } recordsPerSecond)
        {
            return Row(topic, AssessmentStatus.NotAssessed, $"retention.bytes={AssessmentText.Number(retention.RetentionBytes)} limits the topic, but the assessment file declares no ingest rate to check it against; declare rate.peak.", figures);
        }

        var bytesPerSecond = recordsPerSecond * rate.RecordBytes;
        var windowBytes = bytesPerSecond * recoveryWindow.TotalSeconds;
        var keptSeconds = bytesPerSecond <= 0 ? double.PositiveInfinity : limit / bytesPerSecond;
        figures.Add(new(atPeak ? "peakBytesPerSecond" : "averageBytesPerSecond", bytesPerSecond, "bytes/s"));
        figures.Add(new("windowBytes", windowBytes, "bytes"));
        figures.Add(new("retainedSecondsAtRate", keptSeconds, "s"));
        var sizeRatio = keptSeconds / recoveryWindow.TotalSeconds;
        var rateName = atPeak ? "peak" : "average";
        if (sizeRatio < 1)
        {
            return Row(topic, AssessmentStatus.Red, $"retention.bytes={AssessmentText.Number(retention.RetentionBytes)} per partition ({AssessmentText.Bytes(limit)} over {retention.Partitions} partitions) keeps {AssessmentText.Duration(TimeSpan.FromSeconds(keptSeconds))} at the {rateName} rate of {AssessmentText.Number(recordsPerSecond)} records/s, less than the recovery window of {window} ({AssessmentText.Bytes(windowBytes)}).", figures);
        }

        if (!atPeak)
        {
            return Row(topic, AssessmentStatus.Yellow, $"retention.bytes={AssessmentText.Number(retention.RetentionBytes)} per partition holds the recovery window of {window} at the average rate only; declare rate.peak to check it at the peak.", figures);
        }

        return Math.Min(timeRatio, sizeRatio) < 1 + Headroom
            ? Row(topic, AssessmentStatus.Yellow, $"Retention holds the recovery window of {window} at the peak rate with under {AssessmentText.Percent(Headroom)} to spare (retention.bytes={AssessmentText.Number(retention.RetentionBytes)} keeps {AssessmentText.Duration(TimeSpan.FromSeconds(keptSeconds))}); Kafka deletes whole segments, so the topic can keep less than the limit says.", figures)
            : Row(topic, AssessmentStatus.Green, $"Retention holds the recovery window of {window} at the peak rate of {AssessmentText.Number(recordsPerSecond)} records/s (retention.bytes={AssessmentText.Number(retention.RetentionBytes)} keeps {AssessmentText.Duration(TimeSpan.FromSeconds(keptSeconds))}).", figures);
    }

    private static AssessmentRow Row(string topic, AssessmentStatus status, string summary, IReadOnlyList<AssessmentFigure> figures) =>
        new(AssessmentArea.KafkaLayer, $"retention of {topic}", status, summary, figures);
}
