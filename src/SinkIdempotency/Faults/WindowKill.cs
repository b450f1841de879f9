using System.Globalization;
using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

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
        Func<SourcePartition, bool> killed = _ => true;
        var ownerSeen = DateTimeOffset.MinValue;
        while (context.Now < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (owner is null || context.Now - ownerSeen > OwnerRefresh)
            {
                owner = await context.FindTaskWorkerAsync(task, cancellationToken).ConfigureAwait(false);
                killed = owner is { } o ? await PartitionsOfAsync(context, o.Tasks, cancellationToken).ConfigureAwait(false) : _ => true;
                ownerSeen = context.Now;
            }

            if (owner is { } found)
            {
                // Only rows on the partitions of the tasks that die count: a surviving task commits its own rows as usual.
                var progress = (await context.ReadTargetProgressAsync(cancellationToken).ConfigureAwait(false)).Only(killed);
                var before = Only(await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false), killed);
                if (progress.RowsAhead(before) >= minimumRowsAhead)
                {
                    await context.Environment.KillWorkerAsync(found.Worker.Id, cancellationToken).ConfigureAwait(false);
                    var after = Only(await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false), killed);

                    // A killed worker's open transaction is rolled back, so the target read now holds exactly what it had written.
                    var written = (await context.ReadTargetProgressAsync(cancellationToken).ConfigureAwait(false)).Only(killed);
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

    /// <summary>Finds the partitions the given tasks consume now, from the consumer group's assignment; every partition when it cannot be told.</summary>
    private static async Task<Func<SourcePartition, bool>> PartitionsOfAsync(FaultContext context, IReadOnlyList<int> tasks, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<SourcePartition, string> owners;
        try
        {
            owners = await context.Environment.GetPartitionOwnersAsync(context.Names.GroupId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The assignment is a refinement: without it every partition counts, as on environments that cannot tell.
            return _ => true;
        }

        // Connect names a sink task's consumer connector-consumer-<connector>-<task>.
        var clients = tasks.Select(t => string.Create(CultureInfo.InvariantCulture, $"connector-consumer-{context.Names.Connector}-{t}")).ToHashSet(StringComparer.Ordinal);
        var mine = owners.Where(o => clients.Contains(o.Value)).Select(o => o.Key).ToHashSet();
        if (mine.Count == 0 || mine.Count == owners.Count)
        {
            // Unknown, mid-rebalance, or the dying worker owns everything: every partition counts.
            return _ => true;
        }

        return mine.Contains;
    }

    private static Dictionary<SourcePartition, long> Only(IReadOnlyDictionary<SourcePartition, long> offsets, Func<SourcePartition, bool> keep) =>
        offsets.Where(p => keep(p.Key)).ToDictionary(p => p.Key, p => p.Value);
}
