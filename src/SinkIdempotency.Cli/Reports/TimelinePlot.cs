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
            if (series.CommittedAt.Length > 0)
            {
                var end = plot.Add.ScatterLine(series.CommittedAt, series.End);
                end.LegendText = "produced (log-end offset)";
                end.Color = Colors.Gray;
                end.LinePattern = LinePattern.Dashed;
                var committed = plot.Add.ScatterLine(series.CommittedAt, series.Committed);
                committed.LegendText = "committed offset";
                committed.Color = Colors.Blue;
                committed.LineWidth = 2;
            }

            if (series.TargetAt.Length > 0)
            {
                var rows = plot.Add.ScatterLine(series.TargetAt, series.TargetRows);
                rows.LegendText = "target rows";
                rows.Color = Colors.Green;
                rows.LineWidth = 2;
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
