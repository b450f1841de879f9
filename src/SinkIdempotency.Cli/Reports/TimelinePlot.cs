using ScottPlot;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Draws a scenario's timeline with ScottPlot: committed offset, produced records and target rows over time, fault actions as vertical lines.</summary>
internal static class TimelinePlot
{
    public const int Width = 900;

    public const int Height = 320;

    /// <summary>Renders the series to PNG bytes.</summary>
    public static byte[] RenderPng(TimelineSeries series, string title)
    {
        var plot = new Plot();
        try
        {
            // A failed sample is a gap in what was observed: each series is drawn in pieces with the gap shaded,
            // never as a straight line across it, so nothing seems to happen at a time nobody looked.
            var gapShown = false;
            void Draw(double[] at, double[] values, double[] gaps, string legend, ScottPlot.Color color, float width, LinePattern pattern)
            {
                var first = true;
                foreach (var (segmentAt, segmentValues, gapAfter) in TimelineSeries.Segments(at, values, gaps))
                {
                    var line = plot.Add.ScatterLine(segmentAt, segmentValues);
                    line.Color = color;
                    line.LineWidth = width;
                    line.LinePattern = pattern;
                    line.LegendText = first ? legend : string.Empty;
                    first = false;
                    if (gapAfter is { } gap)
                    {
                        var span = plot.Add.HorizontalSpan(gap.From, gap.To);
                        span.FillStyle.Color = Colors.Gray.WithAlpha(0.15);
                        span.LineStyle.Width = 0;
                        span.LegendText = gapShown ? string.Empty : "no sample (observation failed)";
                        gapShown = true;
                    }
                }
            }

            if (series.CommittedAt.Length > 0)
            {
                Draw(series.CommittedAt, series.End, series.OffsetGaps, "produced (log-end offset)", Colors.Gray, 1, LinePattern.Dashed);
                Draw(series.CommittedAt, series.Committed, series.OffsetGaps, "committed offset", Colors.Blue, 2, LinePattern.Solid);
            }

            if (series.TargetAt.Length > 0)
            {
                Draw(series.TargetAt, series.TargetRows, series.TargetGaps, "target rows", Colors.Green, 2, LinePattern.Solid);
            }

            // Labels are staggered down from the top so actions close in time stay readable.
            var top = Math.Max(1, series.End.Concat(series.Committed).Concat(series.TargetRows).DefaultIfEmpty(1).Max());
            for (var i = 0; i < series.FaultActions.Count; i++)
            {
                var (at, action) = series.FaultActions[i];
                var line = plot.Add.VerticalLine(at);
                line.Color = Colors.Red;
                line.LineWidth = 1.5f;
                var label = plot.Add.Text(action, at, top * (0.95 - (0.1 * (i % 5))));
                label.LabelFontColor = Colors.Red;
                label.LabelFontSize = 11;
            }

            plot.Title(title);
            plot.XLabel("seconds since start");
            plot.YLabel("records");
            plot.ShowLegend(Alignment.LowerRight);
            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
        finally
        {
            plot.Dispose();
        }
    }
}
