using System.Globalization;
using SinkIdempotency.Cli.Reports;
using Spectre.Console;

namespace SinkIdempotency.Cli.Run;

/// <summary>Shows progress while the matrix runs: a live progress bar on a terminal, one line per scenario otherwise.</summary>
internal sealed class RunProgress(IAnsiConsole console, bool interactive)
{
    /// <summary>Runs <paramref name="work"/>, giving it callbacks to report each scenario's start and end.</summary>
    public async Task RunAsync(int total, Func<IProgressSink, Task> work)
    {
        if (!interactive)
        {
            await work(new LineSink(console, total)).ConfigureAwait(false);
            return;
        }

        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("starting", maxValue: total);
                await work(new LiveSink(console, task, total)).ConfigureAwait(false);
                task.StopTask();
            })
            .ConfigureAwait(false);
    }

    private static string Label(int index, int total, string name, int repetition) =>
        string.Create(CultureInfo.InvariantCulture, $"[{index}/{total}] {name}{(repetition > 1 ? $" (run {repetition})" : string.Empty)}");

    private static string Color(ScorecardVerdict verdict) => verdict switch
    {
        ScorecardVerdict.Green => "green",
        ScorecardVerdict.Yellow => "yellow",
        ScorecardVerdict.Red => "red",
        ScorecardVerdict.Error => "magenta",
        _ => "grey",
    };

    /// <summary>Receives progress events.</summary>
    internal interface IProgressSink
    {
        void Started(int index, string name, int repetition);

        void Finished(int index, ScorecardEntry entry);
    }

    private sealed class LineSink(IAnsiConsole console, int total) : IProgressSink
    {
        public void Started(int index, string name, int repetition) =>
            console.WriteLine(Label(index, total, name, repetition) + " …");

        public void Finished(int index, ScorecardEntry entry) =>
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Label(index, total, entry.Name, entry.Repetition)} {entry.Headline} ({entry.DurationMs / 1000.0:0.0} s)"));
    }

    private sealed class LiveSink(IAnsiConsole console, ProgressTask task, int total) : IProgressSink
    {
        public void Started(int index, string name, int repetition) =>
            task.Description = Markup.Escape(Label(index, total, name, repetition));

        public void Finished(int index, ScorecardEntry entry)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{Markup.Escape(Label(index, total, entry.Name, entry.Repetition))} [{Color(entry.Verdict)}]{Markup.Escape(entry.Headline)}[/] ({entry.DurationMs / 1000.0:0.0} s)"));
            task.Increment(1);
        }
    }
}
