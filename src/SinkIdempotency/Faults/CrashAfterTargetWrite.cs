using SinkIdempotency.Evidence;

namespace SinkIdempotency.Faults;

/// <summary>Kills (SIGKILL) the worker running the task while the target is ahead of the committed offsets: rows are written, their offsets not yet committed.</summary>
/// <remarks>
/// This is Kafka Connect's at-least-once window: after a restart the task resumes from the last committed offsets and
/// writes those rows again. An idempotent sink (upsert by key, or keyed by Kafka coordinates) absorbs the replay; an
/// append-only insert duplicates it. How the kill is placed is <see cref="CrashInWindow{TOptions}"/>'s.
/// A sink whose target never runs ahead of its commits over the whole stream has no such window: that is reported as a
/// finding and graded on the reconciliation, not as a fault that was not injected.
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class CrashAfterTargetWrite(CrashAfterTargetWriteOptions? options = null)
    : CrashInWindow<CrashAfterTargetWriteOptions>(CrashWindowKind.TargetAheadOfCommit, options ?? new CrashAfterTargetWriteOptions())
{
    /// <inheritdoc />
    public override string Name => "crash-after-target-write";
}
