using System.Globalization;
using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Kills the worker running a task at a moment when the target is ahead of the committed offsets.</summary>
/// <remarks>
/// Each poll reads the target first and the committed offsets second, so a row counted as ahead was already written
/// when the offsets were read. The worker is killed at once, and the offsets are read again right after the kill: a
/// dead worker commits nothing more, so rows at or past those offsets prove the kill landed inside the window.
/// </remarks>
internal static class WindowKill
{
    public static async Task<(CrashWindow? Window, WorkerInfo? Worker)> KillInWindowAsync(
        FaultContext context, int task, int minimumRowsAhead, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = context.Now + timeout;
        while (context.Now < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var owner = await context.FindTaskWorkerAsync(task, cancellationToken).ConfigureAwait(false);
            if (owner is { } found)
            {
                var progress = await context.ReadTargetProgressAsync(cancellationToken).ConfigureAwait(false);
                var before = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
                if (progress.RowsAhead(before) >= minimumRowsAhead)
                {
                    await context.Environment.KillWorkerAsync(found.Worker.Id, cancellationToken).ConfigureAwait(false);
                    var after = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
                    var window = context.BuildWindow(found.Worker, found.Tasks, progress, before, after);
                    context.Record(
                        "kill-worker",
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"Killed worker {found.Worker.ConnectWorkerId} (tasks {string.Join(',', found.Tasks)}) with {window.RowsAhead} row(s) written past the committed offsets{(window.InsideWindow ? string.Empty : "; a commit overtook the trigger, so the kill missed the window")}."),
                        window);
                    return (window, found.Worker);
                }
            }

            await Task.Delay(context.PollInterval, context.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        return (null, null);
    }
}
