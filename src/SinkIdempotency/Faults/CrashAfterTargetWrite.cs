using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Kills (SIGKILL) the worker running the task while the target is ahead of the committed offsets: rows are written, their offsets not yet committed.</summary>
/// <remarks>
/// This is Kafka Connect's at-least-once window: after a restart the task resumes from the last committed offsets and
/// writes those rows again. An idempotent sink (upsert by key, or keyed by Kafka coordinates) absorbs the replay; an
/// append-only insert duplicates it. The trigger watches the target and the consumer group; it never guesses with a
/// delay, and where the environment can freeze workers the kill is placed on a frozen worker so the worker's own commit
/// cannot overtake it (see <see cref="Evidence.CrashWindow"/>). The evidence holds the window at the moment of the kill.
/// A sink whose target never runs ahead of its commits over the whole stream has no such window: that is reported as a
/// finding and graded on the reconciliation, not as a fault that was not injected.
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
    protected internal override Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken) =>
        WindowKill.CrashAsync(context, new WindowWatch(CrashWindowKind.TargetAheadOfCommit, Options.Task, Options.MinimumRowsAhead, Options.TriggerTimeout), Options.RestartWorker, cancellationToken);

    private static CrashAfterTargetWriteOptions Validated(CrashAfterTargetWriteOptions options)
    {
        options.Validate();
        return options;
    }
}
