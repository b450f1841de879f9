using System.Globalization;
using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Timing;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>Kills the worker running a task inside a crash window, on a frozen worker where the environment can freeze one.</summary>
/// <remarks>
/// <para>
/// Watching alone races the worker: between the read that finds the window open and the kill, the worker's own commit
/// (or write) can close it. So the watch only nominates a moment. The worker is then frozen (SIGSTOP, <c>docker pause</c>),
/// the environment waits until both servers have handled what the worker had already sent (an offset commit written just
/// before the stop closes rows ahead, a <c>COMMIT</c> closes records behind; what the other server still applies widens
/// the window, and a read taken before it lands would find shut a window that is open), and the target and the committed
/// offsets are read until two reads agree on the side that could close it. Nothing can move either side on the worker's
/// account any more: if the window is open the worker is killed without running again, otherwise it is thawed and the
/// watch goes on. Freezes are kept short
/// against the session timeout, and the worker runs at least as long as it was frozen before the next one.
/// </para>
/// <para>
/// After the kill the offsets and the target are read again to confirm where it landed. On environments that cannot
/// freeze, the kill follows the observation directly, and only the confirming reads say whether it landed in the window.
/// </para>
/// </remarks>
internal static class WindowKill
{
    private static readonly TimeSpan OwnerRefresh = TimeSpan.FromMilliseconds(250);

    // Two reads of a frozen worker's state this far apart must agree before it is judged.
    private static readonly TimeSpan ConfirmGap = TimeSpan.FromMilliseconds(20);
    private const int MaxReadsWhileFrozen = 6;

    // Between two freezes the worker runs as long as it was frozen, within these bounds: long enough to send its
    // heartbeats, short enough that a window closed by a commit racing the freeze is tried again while it is open.
    private static readonly TimeSpan MinimumThawed = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaximumThawed = TimeSpan.FromMilliseconds(500);

    // A frozen worker sends no heartbeat; reads stop and the worker is thawed once it has been frozen this long.
    private static readonly TimeSpan MaximumFrozen = TimeSpan.FromMilliseconds(1500);

    /// <summary>The fewest offset commits that must move the group forward while the committed offsets are still short of what was produced, before a window that never opened counts as a finding about the sink.</summary>
    /// <remarks>
    /// A stream the sink swallows in one poll and the worker commits in one go leaves no commit to race the target:
    /// the window could not have opened whatever the sink does, so "it never opened" would prove nothing.
    /// </remarks>
    public const int MinimumCommitsForFinding = 1;

    // The rest of the stream is produced in at most this many held steps, each at least MinimumStep records long.
    private const int HeldSteps = 5;
    private const long MinimumStep = 20;

    // A step the group has not committed this long after the stream reached it releases the rest of the stream unheld:
    // a task that failed or a sink that never commits must not hold the run for every step.
    private static readonly TimeSpan MaximumHold = TimeSpan.FromSeconds(10);

    // Steps in a row in which neither window showed before the rest of the stream is released unheld. One blind step can
    // be a CPU-starved worker that took the whole step in one poll and ran its overdue offset flush right after the write
    // (the window open for less than one observation); a sink that writes and commits together whenever the stream pauses
    // is blind at every step.
    private const int BlindStepsToRelease = 2;

    /// <summary>Watches for the window and kills inside it; or reports that the stream ended without it opening, or that the timeout passed.</summary>
    /// <remarks>
    /// The rest of the stream is produced in held steps (see <see cref="PlanSteps"/>): the producer stops before each step
    /// until the group has committed every record before it and the watched window is shut. A worker starved of CPU can
    /// otherwise take hundreds of records in one poll and commit them faster than one observation, and the rest of the
    /// stream goes by in one or two such polls; held, every step opens the window anew and the watch gets another chance.
    /// Every hold and how long it lasted is in the evidence. The stream is released for good when the watch ends.
    /// </remarks>
    public static async Task<WindowKillResult> KillInWindowAsync(FaultContext context, WindowWatch watch, CancellationToken cancellationToken)
    {
        PlanSteps(context);
        try
        {
            return await WatchAsync(context, watch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            context.ReleaseStream();
        }
    }

    private static async Task<WindowKillResult> WatchAsync(FaultContext context, WindowWatch watch, CancellationToken cancellationToken)
    {
        var deadline = Deadline.After(watch.Timeout, context.TimeProvider);
        var canFreeze = context.Environment.Capabilities.HasFlag(EnvironmentCapabilities.FreezeWorker);
        (WorkerInfo Worker, IReadOnlyList<int> Tasks)? owner = null;
        Func<SourcePartition, bool> dying = _ => true;
        var ownerSeen = DateTimeOffset.MinValue;
        var nextFreeze = DateTimeOffset.MinValue;
        long observations = 0;
        long largest = 0;
        long largestOpposite = 0;
        WindowObservation? previous = null;
        var freezes = 0;
        var midStreamCommits = 0;
        long? lastCommitted = null;
        var uncheckedFreezes = 0;
        string? lastUnchecked = null;
        var windowSeenThisStep = false;
        var blindSteps = 0;
        while (!deadline.HasPassed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (owner is null || context.Now - ownerSeen > OwnerRefresh)
            {
                owner = await context.FindTaskWorkerAsync(watch.Task, cancellationToken).ConfigureAwait(false);
                dying = owner is { } o ? await PartitionsOfAsync(context, o.Tasks, cancellationToken).ConfigureAwait(false) : _ => true;
                ownerSeen = context.Now;
            }

            if (owner is { } found)
            {
                // Only the partitions of the tasks that die count: a surviving task carries on as usual.
                var seen = await context.ObserveWindowAsync(watch.Kind, dying, cancellationToken).ConfigureAwait(false);
                observations++;
                largest = Math.Max(largest, seen.Size(watch.Kind));
                if (previous is not null)
                {
                    // Not seen.Size(opposite): the read order that makes this observation err towards a shut watched window
                    // makes it err towards an open opposite one (a write and its commit landing between the two reads).
                    var opposite = context.OppositeWindowSize(watch.Kind, previous, seen, dying);
                    largestOpposite = Math.Max(largestOpposite, opposite);
                    windowSeenThisStep |= opposite > 0;
                }

                windowSeenThisStep |= seen.Size(watch.Kind) > 0;

                previous = seen;
                var committedTotal = seen.Committed.Values.Sum();
                if (committedTotal > (lastCommitted ?? 0) && (seen.CommittedShortOfProduced || context.Ledger.Count < context.Scenario.Workload.Records))
                {
                    midStreamCommits++;
                }

                lastCommitted = committedTotal;
                if (seen.Size(watch.Kind) < watch.MinimumAhead)
                {
                    (windowSeenThisStep, blindSteps) = await ReleaseStepWhenCommittedAsync(context, windowSeenThisStep, blindSteps, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    ReleaseOverdueStep(context);
                }

                if (seen.Size(watch.Kind) >= watch.MinimumAhead)
                {
                    if (!canFreeze)
                    {
                        var window = await KillAndConfirmAsync(context, watch, found, dying, seen, cancellationToken).ConfigureAwait(false);
                        return new WindowKillResult(window, found.Worker, observations, freezes, false, largest, midStreamCommits);
                    }

                    if (context.Now >= nextFreeze)
                    {
                        freezes++;
                        var frozenAt = context.Now;
                        var (window, problem) = await TryFrozenKillAsync(context, watch, found, dying, freezes, cancellationToken).ConfigureAwait(false);
                        if (window is not null)
                        {
                            return new WindowKillResult(window, found.Worker, observations, freezes, false, largest, midStreamCommits);
                        }

                        if (problem is not null)
                        {
                            uncheckedFreezes++;
                            lastUnchecked = problem;
                        }

                        var frozenFor = context.Now - frozenAt;
                        nextFreeze = context.Now + TimeSpan.FromTicks(Math.Clamp(frozenFor.Ticks, MinimumThawed.Ticks, MaximumThawed.Ticks));
                        owner = null;
                    }
                }
                else if (watch.UntilStreamEnds && await StreamEndedAsync(context, cancellationToken).ConfigureAwait(false))
                {
                    // The commit that ended the stream came after the observation above, and may itself have opened the
                    // window (a sink that commits its buffer before writing it): only a read taken after it can say the
                    // window stayed shut. Open, the watch goes on and freezes the worker in it.
                    var last = await context.ObserveWindowAsync(watch.Kind, dying, cancellationToken).ConfigureAwait(false);
                    observations++;
                    largest = Math.Max(largest, last.Size(watch.Kind));
                    largestOpposite = Math.Max(largestOpposite, context.OppositeWindowSize(watch.Kind, seen, last, dying));
                    previous = last;
                    if (last.Size(watch.Kind) < watch.MinimumAhead)
                    {
                        return new WindowKillResult(null, null, observations, freezes, true, largest, midStreamCommits) { FreezesUnchecked = uncheckedFreezes, LastUnchecked = lastUnchecked, LargestOppositeSeen = largestOpposite };
                    }

                    context.Record("window-opened-at-stream-end", string.Create(CultureInfo.InvariantCulture, $"The commit that completed the stream opened the window: {Describe(watch.Kind, last.Size(watch.Kind))}; watching on to freeze the worker in it."));
                    continue;
                }
            }
            else
            {
                (windowSeenThisStep, blindSteps) = await ReleaseStepWhenCommittedAsync(context, windowSeenThisStep, blindSteps, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(context.PollInterval, context.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        return new WindowKillResult(null, null, observations, freezes, false, largest, midStreamCommits) { FreezesUnchecked = uncheckedFreezes, LastUnchecked = lastUnchecked, LargestOppositeSeen = largestOpposite };
    }

    /// <summary>Arms, kills inside the window, restarts the killed worker when asked, and returns the outcome: the whole of a crash fault.</summary>
    public static async Task<FaultOutcome> CrashAsync(FaultContext context, WindowWatch watch, bool restartWorker, CancellationToken cancellationToken)
    {
        context.Record(
            "arm",
            string.Create(CultureInfo.InvariantCulture, $"Watching group {context.Names.GroupId} and the target for at least {Describe(watch.Kind, watch.MinimumAhead)}."));
        var result = await KillInWindowAsync(context, watch, cancellationToken).ConfigureAwait(false);
        if (result.Window is not { } window || result.Worker is not { } worker)
        {
            return NotKilled(context, watch, result);
        }

        if (restartWorker)
        {
            await context.Environment.RestartWorkerAsync(worker.WorkerId, cancellationToken).ConfigureAwait(false);
            context.Record("restart-worker", $"Started worker {worker.WorkerId} again.");
        }

        // A kill that a commit overtook tests nothing; the run must not pass as if it had.
        return Killed(window);
    }

    /// <summary>Describes a window in words: <c>row(s) written past the committed offsets</c> or <c>record(s) committed past but not in the target</c>.</summary>
    public static string Describe(CrashWindowKind kind, long count) => kind == CrashWindowKind.CommitAheadOfTarget
        ? string.Create(CultureInfo.InvariantCulture, $"{count} record(s) committed past but not in the target")
        : string.Create(CultureInfo.InvariantCulture, $"{count} row(s) written past the committed offsets");

    /// <summary>Turns a watch that ended without a kill into the fault's outcome: a finding when the whole stream went by with the window shut, a fault not injected otherwise.</summary>
    public static FaultOutcome NotKilled(FaultContext context, WindowWatch watch, WindowKillResult result)
    {
        var opposite = watch.Kind == CrashWindowKind.CommitAheadOfTarget ? CrashWindowKind.TargetAheadOfCommit : CrashWindowKind.CommitAheadOfTarget;
        if (result.StreamEnded && result.LargestSeen < watch.MinimumAhead && result.MidStreamCommits < MinimumCommitsForFinding)
        {
            var tooShort = string.Create(
                CultureInfo.InvariantCulture,
                $"The window never opened, but the stream gave it no chance: no offset commit moved the group forward while the {context.Ledger.Count} records were still being taken in (the worker committed them all at once), so a shut window says nothing about the sink, and no worker was killed. Produce the records more slowly (workload.recordsPerSecond in a scenario file, ScenarioWorkload.RecordsPerSecond in C#) or produce more of them.");
            context.Record("gave-up", tooShort);
            return new FaultOutcome(false, tooShort);
        }

        if (result.StreamEnded && result.LargestSeen < watch.MinimumAhead && result.LargestOppositeSeen == 0)
        {
            // Every sink that writes and lets the worker commit opens one of the two windows for a moment: it writes first
            // (rows ahead) or commits first (records behind). Seeing neither means the observations were too coarse for
            // the sink's rhythm (a loaded machine, windows of a few milliseconds), so a shut window proves nothing: a sink
            // whose known answer is red must not come out green because the harness looked too seldom.
            var blind = string.Create(
                CultureInfo.InvariantCulture,
                $"The window never showed in {result.Observations} observations, but neither did the opposite one ({(opposite == CrashWindowKind.CommitAheadOfTarget ? "records committed past but not in the target" : "rows written past the committed offsets")}), which every sink that writes and commits opens for a moment: the observations were too coarse to see this sink's order, so a shut window says nothing about it, and no worker was killed. Run on a less loaded machine, or give the worker a longer offset-flush interval.");
            context.Record("gave-up", blind);
            return new FaultOutcome(false, blind);
        }

        if (result.StreamEnded && result.LargestSeen < watch.MinimumAhead)
        {
            var finding = watch.Kind == CrashWindowKind.CommitAheadOfTarget
                ? string.Create(CultureInfo.InvariantCulture, $"no commit ran ahead of the target in {context.Ledger.Count} records")
                : string.Create(CultureInfo.InvariantCulture, $"the target never ran ahead of the commits in {context.Ledger.Count} records");
            var detail = string.Create(
                CultureInfo.InvariantCulture,
                $"The window never opened: {finding} ({result.Observations} observations and {result.MidStreamCommits} offset commit(s) before the stream was all committed), so no worker was killed. That is a finding about the sink, not a failed injection.");
            context.Record("window-never-opened", detail);
            return new FaultOutcome(false, detail) { Finding = finding };
        }

        var window = watch.Kind == CrashWindowKind.CommitAheadOfTarget ? "committed offsets ahead of the target" : "target ahead of the committed offsets";
        var until = result.StreamEnded ? "until the stream ended" : string.Create(CultureInfo.InvariantCulture, $"within {watch.Timeout.TotalSeconds:0.#} s");
        var gaveUp = result.LargestSeen >= watch.MinimumAhead && result.FreezesUnchecked > 0
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"The window ({window}) opened, up to {Describe(watch.Kind, result.LargestSeen)}, but {result.FreezesUnchecked} of {result.Freezes} freeze(s) could not check it {until} (last: {result.LastUnchecked}){(result.FreezesUnchecked < result.Freezes ? " and the others found it shut" : string.Empty)}, so no worker was killed.")
            : result.LargestSeen >= watch.MinimumAhead
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"The window ({window}) opened, up to {Describe(watch.Kind, result.LargestSeen)}, but was shut every time the worker was frozen to check it ({result.Freezes} freeze(s)) {until}, so no worker was killed.")
            : string.Create(
                CultureInfo.InvariantCulture,
                $"The window ({window}) was not seen open within {watch.Timeout.TotalSeconds:0.#} s and the stream was not all produced and committed by then, so no worker was killed ({result.Observations} observations).");
        context.Record("gave-up", gaveUp);
        return new FaultOutcome(false, gaveUp);
    }

    /// <summary>Returns the outcome of a kill: injected when it provably landed in the window, not injected (the run proves nothing) when it missed.</summary>
    public static FaultOutcome Killed(CrashWindow window) => window.InsideWindow
        ? new FaultOutcome(true, $"Killed worker {window.WorkerId} with {Describe(window.Kind, window.Kind == CrashWindowKind.CommitAheadOfTarget ? window.RecordsBehind : window.RowsAhead)}{(window.Frozen ? " (the kill placed on the frozen worker)" : string.Empty)}.")
        : new FaultOutcome(false, $"Killed worker {window.WorkerId}, but the window had closed by the kill: the reads after it found {Describe(window.Kind, 0)}.");

    // Returns the window of a kill; or no window and why the freeze could not check it; or neither when it found the window shut.
    private static async Task<(CrashWindow? Window, string? Unchecked)> TryFrozenKillAsync(
        FaultContext context, WindowWatch watch, (WorkerInfo Worker, IReadOnlyList<int> Tasks) found, Func<SourcePartition, bool> dying, int freezes, CancellationToken cancellationToken)
    {
        var frozenAt = context.Now;
        Environments.WorkerFreeze freeze;
        try
        {
            // Both servers: the side that could close the window must be final before an open window is trusted, and the
            // side that only widens it must be final before a shut one is (a COMMIT the broker-only drain left in flight
            // landed rows ahead after the read had found the window shut, and the worker was thawed out of an open window).
            freeze = await context.Environment.FreezeWorkerAsync(found.Worker.WorkerId, Environments.WorkerDrainScope.All, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // The worker died or would not stop; the watch looks up the task's worker again.
            context.Record("freeze-failed", $"Could not freeze worker {found.Worker.WorkerId}: {ex.Message}");
            return (null, "could not freeze the worker: " + ex.Message);
        }

        var killed = false;
        try
        {
            if (freeze.Drained == false)
            {
                // The server that could close the window had not finished in time: nothing read now is final.
                context.Record("freeze-worker", string.Create(CultureInfo.InvariantCulture, $"Froze worker {found.Worker.WorkerId} for {(context.Now - frozenAt).TotalMilliseconds:0} ms ({freeze.Detail}): not drained in time; thawed it."));
                return (null, "not drained: " + freeze.Detail);
            }

            // Two reads that agree: nothing the worker sent before it stopped is still being applied.
            var last = await context.ObserveWindowAsync(watch.Kind, dying, cancellationToken).ConfigureAwait(false);
            WindowObservation? settled = null;
            var reads = 1;
            for (; reads < MaxReadsWhileFrozen && settled is null && context.Now - frozenAt < MaximumFrozen; reads++)
            {
                await Task.Delay(ConfirmGap, context.TimeProvider, cancellationToken).ConfigureAwait(false);
                var next = await context.ObserveWindowAsync(watch.Kind, dying, cancellationToken).ConfigureAwait(false);
                settled = next.SameAs(last, watch.Kind) ? next : null;
                last = next;
            }

            var frozenFor = context.Now - frozenAt;
            if (settled is null || settled.Size(watch.Kind) < watch.MinimumAhead)
            {
                context.Record(
                    "freeze-worker",
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"Froze worker {found.Worker.WorkerId} for {frozenFor.TotalMilliseconds:0} ms ({freeze.Detail}; {reads} read(s)): {(settled is null ? "what could close the window kept changing while it was frozen" : "the window was shut on a settled read, " + Describe(watch.Kind, settled.Size(watch.Kind)))}; thawed it."));
                return (null, null);
            }

            await context.Environment.KillWorkerAsync(found.Worker.WorkerId, cancellationToken).ConfigureAwait(false);
            killed = true;
            var window = await ConfirmAsync(context, watch, found, dying, settled, cancellationToken).ConfigureAwait(false) with
            {
                Frozen = true,
                Drained = freeze.Drained,
                FreezeDetail = freeze.Detail,
                FrozenFor = frozenFor,
                Freezes = freezes,
            };
            RecordKill(context, window, found.Tasks);
            return (window, null);
        }
        finally
        {
            if (!killed)
            {
                await context.Environment.ThawWorkerAsync(found.Worker.WorkerId, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static async Task<CrashWindow> KillAndConfirmAsync(
        FaultContext context, WindowWatch watch, (WorkerInfo Worker, IReadOnlyList<int> Tasks) found, Func<SourcePartition, bool> dying, WindowObservation seen, CancellationToken cancellationToken)
    {
        await context.Environment.KillWorkerAsync(found.Worker.WorkerId, cancellationToken).ConfigureAwait(false);
        var window = await ConfirmAsync(context, watch, found, dying, seen, cancellationToken).ConfigureAwait(false);
        RecordKill(context, window, found.Tasks);
        return window;
    }

    // A dead worker commits nothing more and the environment waited for its database sessions to end, so this read is final for its partitions.
    private static async Task<CrashWindow> ConfirmAsync(
        FaultContext context, WindowWatch watch, (WorkerInfo Worker, IReadOnlyList<int> Tasks) found, Func<SourcePartition, bool> dying, WindowObservation atKill, CancellationToken cancellationToken)
    {
        var after = await context.ObserveWindowAsync(watch.Kind, dying, cancellationToken).ConfigureAwait(false);
        return context.BuildWindow(watch.Kind, found.Worker, found.Tasks, atKill, after);
    }

    private static void RecordKill(FaultContext context, CrashWindow window, IReadOnlyList<int> tasks)
    {
        var size = window.Kind == CrashWindowKind.CommitAheadOfTarget ? window.RecordsBehind : window.RowsAhead;
        var placed = window.Frozen
            ? string.Create(CultureInfo.InvariantCulture, $"frozen for {window.FrozenFor?.TotalMilliseconds:0} ms ({window.FreezeDetail}; freeze {window.Freezes} of the watch), observed on settled reads {Describe(window.Kind, window.ObservedAtKill)}, then killed without running again")
            : string.Create(CultureInfo.InvariantCulture, $"observed {Describe(window.Kind, window.ObservedAtKill)}, then killed (this environment cannot freeze workers)");
        context.Record(
            "kill-worker",
            string.Create(
                CultureInfo.InvariantCulture,
                $"Killed worker {window.WorkerId} (tasks {string.Join(',', tasks)}): {placed}; the reads after the kill found {Describe(window.Kind, size)}{(window.InsideWindow ? string.Empty : ", so the kill missed the window")}."),
            window);
    }

    // Places the holds between here and the end of the stream: up to HeldSteps, evenly, none closer than MinimumStep records.
    private static void PlanSteps(FaultContext context)
    {
        var total = context.Scenario.Workload.Records;
        var from = context.Ledger.Count;
        var steps = (int)Math.Min(HeldSteps, ((total - from) / MinimumStep) - 1);
        var holds = new List<long>();
        for (var k = 1; k <= steps; k++)
        {
            var index = from + ((total - from) * k / (steps + 1));
            context.HoldStreamBefore(index);
            holds.Add(index);
        }

        if (holds.Count > 0)
        {
            context.Record(
                "plan-holds",
                string.Create(CultureInfo.InvariantCulture, $"Producing the rest of the stream in {holds.Count + 1} steps: it holds before records {string.Join(", ", holds)} of {total} until the group has committed every record before the hold and the window is shut, at most {MaximumHold.TotalSeconds:0} s each."));
        }
    }

    // Releases the hold the stream waits at once the group has committed every record produced before it (the caller
    // found the window shut); releases the rest of the stream unheld when the group took longer than MaximumHold, or when
    // neither window showed during BlindStepsToRelease steps in a row: such a sink finishes its writes and commits them
    // together when the stream pauses (e.g. objects rotated on a schedule), so holding would hide the window a flowing
    // stream opens (objects finished by size while records keep coming). Returns whether a window was seen in the step now
    // watched (false once a hold was released: a new step starts) and the blind steps in a row so far.
    private static async Task<(bool WindowSeenThisStep, int BlindSteps)> ReleaseStepWhenCommittedAsync(FaultContext context, bool windowSeenThisStep, int blindSteps, CancellationToken cancellationToken)
    {
        if (context.StreamHeld is not { } held)
        {
            return (windowSeenThisStep, blindSteps);
        }

        var committed = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
        var caughtUp = context.Ledger.Snapshot()
            .GroupBy(e => e.SourcePartition)
            .All(g => committed.TryGetValue(g.Key, out var offset) && offset > g.Max(e => e.Offset));
        var heldFor = (context.Now - held.Since).TotalMilliseconds;
        var total = context.Scenario.Workload.Records;
        if (caughtUp && !windowSeenThisStep && blindSteps + 1 >= BlindStepsToRelease)
        {
            context.ReleaseStream();
            context.Record(
                "hold-stream",
                string.Create(CultureInfo.InvariantCulture, $"Held the stream before record {held.Index} of {total} for {heldFor:0} ms, until the group had committed every record before it; neither window showed during that step nor the {blindSteps} before it (the sink wrote and committed them together when the stream paused), so holding would hide its window: released the rest of the stream without holds."));
            return (false, blindSteps + 1);
        }

        if (caughtUp)
        {
            context.ReleaseHold(held.Index);
            var how = windowSeenThisStep
                ? " and the window was shut"
                : "; neither window showed during that step (a worker starved of CPU can write and commit a whole step at once), so the next step is held too";
            context.Record(
                "hold-stream",
                string.Create(CultureInfo.InvariantCulture, $"Held the stream before record {held.Index} of {total} for {heldFor:0} ms, until the group had committed every record before it{how}; released it ({context.HoldsLeft} hold(s) left)."));
            return (false, windowSeenThisStep ? 0 : blindSteps + 1);
        }

        if (heldFor >= MaximumHold.TotalMilliseconds)
        {
            context.ReleaseStream();
            context.Record(
                "hold-stream",
                string.Create(CultureInfo.InvariantCulture, $"Held the stream before record {held.Index} of {total} for {heldFor:0} ms, but the group had not committed every record before it by then; released the rest of the stream without holds."));
            return (false, blindSteps);
        }

        return (windowSeenThisStep, blindSteps);
    }

    // The window looks open, yet the stream has waited at its hold longer than MaximumHold (every freeze so far failed to
    // confirm it, e.g. not drained): releases the rest of the stream unheld so the run is not held until the trigger
    // timeout. Only the stream is released; the window is still judged on frozen observations alone.
    private static void ReleaseOverdueStep(FaultContext context)
    {
        if (context.StreamHeld is not { } held || context.Now - held.Since < MaximumHold)
        {
            return;
        }

        context.ReleaseStream();
        context.Record(
            "hold-stream",
            string.Create(CultureInfo.InvariantCulture, $"Held the stream before record {held.Index} of {context.Scenario.Workload.Records} for {(context.Now - held.Since).TotalMilliseconds:0} ms while the window looked open but no freeze confirmed it; released the rest of the stream without holds."));
    }

    // Every record was produced and the group committed up to the end offsets: the stream went by.
    private static async Task<bool> StreamEndedAsync(FaultContext context, CancellationToken cancellationToken)
    {
        if (context.Ledger.Count < context.Scenario.Workload.Records)
        {
            return false;
        }

        var end = await context.Environment.GetEndOffsetsAsync(context.Names.Topic, cancellationToken).ConfigureAwait(false);
        var committed = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
        return end.All(p => p.Value == 0 || (committed.TryGetValue(p.Key, out var c) && c >= p.Value));
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
}
