using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;

namespace SinkIdempotency.Faults;

/// <summary>Kills (SIGKILL) the worker running a task while one of the two crash windows is open, and starts it again: the shell <see cref="CrashAfterTargetWrite"/> and <see cref="CrashAfterOffsetCommit"/> share.</summary>
/// <remarks>
/// The trigger watches the target and the consumer group; it never guesses with a delay, and where the environment can
/// freeze workers the kill is placed on a frozen worker so the worker's own write or commit cannot overtake it (see
/// <see cref="Evidence.CrashWindow"/>). The evidence holds the window at the moment of the kill.
/// </remarks>
/// <typeparam name="TOptions">The options type of the named fault.</typeparam>
public abstract class CrashInWindow<TOptions> : Fault
    where TOptions : CrashInWindowOptions
{
    private protected CrashInWindow(CrashWindowKind window, TOptions options)
    {
        options.Validate();
        Window = window;
        Options = options;
    }

    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public TOptions Options { get; }

    /// <summary>Gets the window the kill is placed in.</summary>
    /// <value><see cref="CrashWindowKind.TargetAheadOfCommit"/> for <see cref="CrashAfterTargetWrite"/>, <see cref="CrashWindowKind.CommitAheadOfTarget"/> for <see cref="CrashAfterOffsetCommit"/>.</value>
    public CrashWindowKind Window { get; }

    /// <inheritdoc />
    public override EnvironmentCapabilities RequiredCapabilities =>
        EnvironmentCapabilities.KillWorker | (Options.RestartWorker ? EnvironmentCapabilities.RestartWorker : EnvironmentCapabilities.None);

    /// <inheritdoc />
    protected internal override Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken) =>
        WindowKill.CrashAsync(context, new WindowWatch(Window, Options.Task, Options.MinimumWindow, Options.TriggerTimeout), Options.RestartWorker, cancellationToken);
}
