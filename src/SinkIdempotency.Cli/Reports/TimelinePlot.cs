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

            foreach (var (at, action) in series.FaultActions)
            {
                var line = plot.Add.VerticalLine(at);
                line.Color = Colors.Red;
                line.LineWidth = 1.5f;
                line.LabelText = action;
            }

            plot.Title(title);
            plot.XLabel("seconds since start");
            plot.YLabel("records");
            plot.ShowLegend(Alignment.UpperLeft);
            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
        finally
        {
            plot.Dispose();
        }
    }
}
