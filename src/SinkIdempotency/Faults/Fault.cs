using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Injects one failure into a running scenario at the point where it matters, and records what it did.</summary>
/// <remarks>
/// The five failure cases are <see cref="CrashAfterTargetWrite"/>, <see cref="TargetTimeout"/>, <see cref="Rebalance"/>,
/// <see cref="SchemaBreak"/> and <see cref="Replay"/>. Each takes an options object with documented defaults and does its
/// work through the scenario environment, so it runs unchanged on every environment that has the capabilities it needs.
/// A custom fault overrides <see cref="Name"/>, <see cref="RequiredCapabilities"/> and <see cref="InjectAsync"/>: wait for
/// the trigger with <see cref="FaultContext.WaitUntilAsync"/>, act through <see cref="FaultContext.Environment"/>, record
/// each action with <see cref="FaultContext.Record"/>, and return whether the fault was injected (a fault that was not
/// injected makes the verdict red, because the run proves nothing).
/// </remarks>
public abstract class Fault
{
    /// <summary>Initializes a fault; derive from <see cref="Fault"/> to write a failure case of your own.</summary>
    protected Fault()
    {
    }

    /// <summary>Gets the fault's report name (kebab-case, for example <c>crash-after-target-write</c>).</summary>
    /// <value>A stable name used in reports and scorecards.</value>
    public abstract string Name { get; }

    /// <summary>Gets the environment capabilities the fault cannot work without.</summary>
    /// <value>The flags that must all be present; see <see cref="MissingCapabilityReason"/> for alternatives.</value>
    public abstract ScenarioCapabilities RequiredCapabilities { get; }

    /// <summary>Gets when the fault acts.</summary>
    /// <value><see cref="FaultTiming.DuringStream"/> unless the fault acts on a settled pipeline.</value>
    protected internal virtual FaultTiming Timing => FaultTiming.DuringStream;

    /// <summary>Gets a value indicating whether the connector must reach the target through the fault proxy.</summary>
    /// <value><see langword="false"/> unless the fault works on target traffic.</value>
    protected internal virtual bool NeedsTargetProxy => false;

    /// <summary>Explains why the fault cannot run on an environment with the given capabilities, or returns <see langword="null"/> when it can.</summary>
    /// <param name="available">The environment's capabilities.</param>
    /// <returns>A sentence naming the missing capability, or <see langword="null"/>.</returns>
    public virtual string? MissingCapabilityReason(ScenarioCapabilities available)
    {
        var missing = RequiredCapabilities & ~available;
        return missing == ScenarioCapabilities.None
            ? null
            : $"{GetType().Name} needs the capabilities {missing}, which the environment does not have.";
    }

    /// <summary>Returns the poison records the fault puts in the workload, in place of the records at their indexes.</summary>
    /// <param name="workload">The scenario's workload.</param>
    /// <returns>The records to replace, each index at most once; empty for faults that do not poison the stream.</returns>
    /// <remarks>
    /// Override it to make a fault of your own poison the stream: the runner produces the poison records in place, flags
    /// them in the ledger, lets the sink write the records before each poison first (so a sink that stops on it is seen
    /// stopping exactly there), constrains the run's table for the kinds that must fail at the target
    /// (<see cref="PoisonRecord.FailsAtTarget"/>), and grades a dead-lettered poison record yellow, a silently skipped one
    /// red, and a task stopped by one yellow. Called more than once per run; return the same records every time.
    /// </remarks>
    public virtual IReadOnlyList<PoisonRecord> PoisonRecords(ScenarioWorkload workload) => [];

    /// <summary>Adds connector settings the fault needs when the scenario did not set them.</summary>
    /// <param name="config">The connector configuration being built.</param>
    /// <param name="workload">The scenario's workload.</param>
    protected internal virtual void ConfigureConnector(IDictionary<string, string> config, ScenarioWorkload workload)
    {
    }

    /// <summary>Prepares the environment before any record is produced, for faults that need more than the trigger.</summary>
    /// <param name="context">The run's environment, names, ledger and timeline.</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <returns>A task that completes when the environment is ready for the fault.</returns>
    /// <remarks>Work that takes seconds (starting a worker) must not race the stream it is meant to interrupt.</remarks>
    protected internal virtual Task PrepareAsync(FaultContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Undoes what the fault changed in the environment (a worker it added), once the run is reconciled.</summary>
    /// <param name="context">The run's environment, names, ledger and timeline.</param>
    /// <param name="cancellationToken">Cancels the cleanup.</param>
    /// <returns>A task that completes when the environment is as the run found it.</returns>
    /// <remarks>Runs on every path, like the rest of the run's cleanup; a failure is recorded, not thrown.</remarks>
    protected internal virtual Task CleanupAsync(FaultContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits for the fault's trigger, acts, and records the evidence.</summary>
    /// <param name="context">The run's environment, names, ledger and timeline.</param>
    /// <param name="cancellationToken">Cancels the fault.</param>
    /// <returns>Whether the fault was injected, with a sentence for the report.</returns>
    protected internal abstract Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken);
}
