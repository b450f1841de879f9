using System.Globalization;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Kills (SIGKILL) the worker running the task while the target is ahead of the committed offsets: rows are written, their offsets not yet committed.</summary>
/// <remarks>
/// This is Kafka Connect's at-least-once window: after a restart the task resumes from the last committed offsets and
/// writes those rows again. An idempotent sink (upsert by key, or keyed by Kafka coordinates) absorbs the replay; an
/// append-only insert duplicates it. The trigger watches the target and the consumer group; it never guesses with a
/// delay. The evidence holds the window at the moment of the kill.
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class CrashAfterTargetWrite(CrashAfterTargetWriteOptions? options = null) : Fault
{
    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public CrashAfterTargetWriteOptions Options { get; } = Validated(options ?? new CrashAfterTargetWriteOptions());

    /// <inheritdoc />
    public override string Name => "crash-after-target-write";

    /// <inheritdoc />
    public override ScenarioCapabilities RequiredCapabilities =>
        ScenarioCapabilities.KillWorker | (Options.RestartWorker ? ScenarioCapabilities.RestartWorker : ScenarioCapabilities.None);

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        context.Record("arm", string.Create(CultureInfo.InvariantCulture, $"Watching the target and group {context.Names.GroupId} for at least {Options.MinimumRowsAhead} row(s) written past the committed offsets."));
        var (window, worker) = await WindowKill.KillInWindowAsync(context, Options.Task, Options.MinimumRowsAhead, Options.TriggerTimeout, cancellationToken).ConfigureAwait(false);
        if (window is null || worker is null)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"The target was never seen ahead of the committed offsets within {Options.TriggerTimeout.TotalSeconds:0.#} s, so no worker was killed.");
            context.Record("gave-up", detail);
            return new FaultOutcome(false, detail);
        }

        if (Options.RestartWorker)
        {
            await context.Environment.RestartWorkerAsync(worker.Id, cancellationToken).ConfigureAwait(false);
            context.Record("restart-worker", $"Started worker {worker.Id} again.");
        }

        // A kill that a commit overtook tests nothing; the run must not pass as if it had.
        return window.InsideWindow
            ? new FaultOutcome(true, string.Create(CultureInfo.InvariantCulture, $"Killed worker {window.WorkerId} with {window.RowsAhead} row(s) written but not committed."))
            : new FaultOutcome(false, $"Killed worker {window.WorkerId}, but a commit overtook the trigger: no row was ahead of the committed offsets at the kill.");
    }

    private static CrashAfterTargetWriteOptions Validated(CrashAfterTargetWriteOptions options)
    {
        options.Validate();
        return options;
    }
}
