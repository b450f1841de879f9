using SinkIdempotency.Evidence;

namespace SinkIdempotency.Faults;

/// <summary>Kills (SIGKILL) the worker running the task while the committed offsets are ahead of the target: records committed past that the target does not hold yet.</summary>
/// <remarks>
/// This is the loss window. A sink that buffers records and lets the worker commit their offsets before it writes them
/// (a <c>preCommit</c> that returns offsets it has not made durable) loses the buffer when it dies here: after the
/// restart the task resumes after the committed offsets and never sees those records again, so they show as
/// <c>lost</c>. A sink that makes records durable before it reports their offsets never opens this window; when the
/// whole stream is produced and committed without it opening, that is reported as a finding about the sink ("no commit
/// ran ahead of the target in N records") and the run is graded on its reconciliation. The kill is placed on a frozen
/// worker where the environment can freeze one, as for <see cref="CrashAfterTargetWrite"/>.
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class CrashAfterOffsetCommit(CrashAfterOffsetCommitOptions? options = null)
    : CrashInWindow<CrashAfterOffsetCommitOptions>(CrashWindowKind.CommitAheadOfTarget, options ?? new CrashAfterOffsetCommitOptions())
{
    /// <inheritdoc />
    public override string Name => "crash-after-offset-commit";
}
