using System.Text;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Appends the Markdown scorecard to the GitHub Actions step summary (<c>GITHUB_STEP_SUMMARY</c>), staying under its 1 MiB limit.</summary>
internal static class StepSummary
{
    /// <summary>The name of the variable GitHub Actions sets to the summary file of the current step.</summary>
    public const string Variable = "GITHUB_STEP_SUMMARY";

    /// <summary>GitHub aborts the upload of a step summary over 1024 KiB.</summary>
    public const int LimitBytes = 1024 * 1024;

    /// <summary>Appends the scorecard; returns the bytes appended (zero when even the table alone does not fit).</summary>
    public static async Task<int> AppendAsync(string path, Scorecard scorecard, CancellationToken cancellationToken)
    {
        var existing = File.Exists(path) ? new FileInfo(path).Length : 0;
        var room = LimitBytes - existing - 1024;
        if (room <= 0)
        {
            return 0;
        }

        var markdown = ScorecardMarkdown.ToMarkdown(scorecard, (int)Math.Min(room, ScorecardMarkdown.DefaultMaxBytes));
        var bytes = new UTF8Encoding(false).GetBytes(markdown + "\n");
        if (bytes.Length > room)
        {
            return 0;
        }

        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        return bytes.Length;
    }
}
