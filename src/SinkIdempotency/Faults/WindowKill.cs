using System.Globalization;
using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Kills the worker running a task at a moment when the target is ahead of the committed offsets.</summary>
/// <remarks>
/// Each poll reads the target first and the committed offsets second, so a row counted as ahead was already written
/// when the offsets were read. The worker is killed at once (its identity is looked up between polls, not between the
/// observation and the kill); then the offsets and the target are read again. A dead worker commits nothing more and its
/// open transaction is rolled back, so rows at or past the offsets read after the kill were written, and not committed,
/// when it died: they prove the kill landed inside the window, and count it exactly.
/// </remarks>
internal static class WindowKill
{
    private static readonly TimeSpan OwnerRefresh = TimeSpan.FromMilliseconds(250);

    public static async Task<(CrashWindow? Window, WorkerInfo? Worker)> KillInWindowAsync(
        FaultContext context, int task, int minimumRowsAhead, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = context.Now + timeout;
        (WorkerInfo Worker, IReadOnlyList<int> Tasks)? owner = null;
        var ownerSeen = DateTimeOffset.MinValue;
        while (context.Now < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (owner is null || context.Now - ownerSeen > OwnerRefresh)
            {
                owner = await context.FindTaskWorkerAsync(task, cancellationToken).ConfigureAwait(false);
                ownerSeen = context.Now;
            }

            if (owner is { } found)
            {
                var progress = await context.ReadTargetProgressAsync(cancellationToken).ConfigureAwait(false);
                var before = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
                if (progress.RowsAhead(before) >= minimumRowsAhead)
                {
                    await context.Environment.KillWorkerAsync(found.Worker.Id, cancellationToken).ConfigureAwait(false);
                    var after = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);

                    // A killed worker's open transaction is rolled back, so the target read now holds exactly what it had written.
                    var written = await context.ReadTargetProgressAsync(cancellationToken).ConfigureAwait(false);
                    var window = context.BuildWindow(found.Worker, found.Tasks, written, before, after);
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
