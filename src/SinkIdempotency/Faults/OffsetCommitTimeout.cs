using System.Collections.Concurrent;
using System.Globalization;
using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;

namespace SinkIdempotency.Faults;

/// <summary>Lets the broker apply the sink's offset commits but answer them <c>REQUEST_TIMED_OUT</c>, then kills the worker while the target is ahead of the offsets the broker holds: the commit-side twin of <see cref="TargetTimeout"/>.</summary>
/// <remarks>
/// <para>
/// While the fault acts, every OffsetCommit of the connector's consumer group is stored by the broker and then answered
/// with the retriable error, so the worker believes its last successful commit is older than what the group holds. Once
/// <see cref="OffsetCommitTimeoutOptions.FailedCommits"/> such commits were seen, the worker running the task is killed
/// (on a frozen worker, as for <see cref="CrashAfterTargetWrite"/>) while rows are in the target past the group's
/// committed offsets, and started again; the broker answers commits normally again after the kill.
/// </para>
/// <para>
/// Kafka Connect's <c>WorkerSinkTask</c> counts a failed asynchronous commit and moves on: it neither rewinds nor trusts
/// the failure, it commits again at the next interval, and a new task instance starts from the group's committed offsets,
/// read from the broker. So a correct worker re-delivers exactly the rows the target held past the offsets the broker
/// applied: an upsert by Kafka coordinates absorbs them, a plain insert duplicates them (red), never more than the crash
/// window's rows ahead. A worker or consumer that rewinds to the last commit it heard succeed, or resumes from offsets it
/// keeps itself, re-reads more than the window; a client that treats the error as fatal fails the task. Each commit the
/// fault failed is recorded with its group, partitions and offsets (action <c>failed-commit</c>).
/// </para>
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class OffsetCommitTimeout(OffsetCommitTimeoutOptions? options = null) : Fault
{
    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public OffsetCommitTimeoutOptions Options { get; } = Validated(options ?? new OffsetCommitTimeoutOptions());

    /// <inheritdoc />
    public override string Name => "offset-commit-timeout";

    /// <inheritdoc />
    public override EnvironmentCapabilities RequiredCapabilities =>
        EnvironmentCapabilities.BrokerFaults | EnvironmentCapabilities.KillWorker
        | (Options.RestartWorker ? EnvironmentCapabilities.RestartWorker : EnvironmentCapabilities.None);

    /// <inheritdoc />
    public override string? MissingCapabilityReason(EnvironmentCapabilities available) =>
        BrokerSide.MissingReason(Name, "apply an offset commit and then fail its answer", RequiredCapabilities & ~available)
            ?? base.MissingCapabilityReason(available);

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var broker = BrokerSide.BrokerOf(context);
        var group = context.Names.GroupId;
        var failed = new ConcurrentQueue<BrokerExchange>();
        var lastHeard = new ConcurrentDictionary<(string Topic, int Partition), long>();
        using var observer = broker.ObserveRequests(exchange =>
        {
            if (exchange.Request.ApiKey != ApiKey.OffsetCommit || exchange.Request.GroupId != group)
            {
                return;
            }

            if (exchange.Fault is not null && exchange.Handled)
            {
                failed.Enqueue(exchange);
            }
            else
            {
                foreach (var o in exchange.Offsets.Where(o => o.Error is null or ErrorCode.None))
                {
                    lastHeard[(o.Topic, o.Partition)] = o.Offset;
                }
            }
        });

        if (await BrokerSide.WaitForTargetRowsAsync(context, Options.AfterTargetRows, Options.TriggerTimeout, "no commit was failed", cancellationToken).ConfigureAwait(false) is { } gaveUp)
        {
            return gaveUp;
        }

        var fault = broker.InjectFault(new BrokerFaultOptions
        {
            ApiKey = ApiKey.OffsetCommit,
            GroupId = group,
            Timing = BrokerFaultTiming.AfterHandling,
            Action = BrokerFaultAction.RespondWithError,
            Error = ErrorCode.RequestTimedOut,
            Times = 0,
        });
        context.Record("fail-commits", $"The broker applies every OffsetCommit of group {group} and answers it REQUEST_TIMED_OUT.");
        var reported = 0;
        try
        {
            var enough = await context.WaitUntilAsync(
                _ =>
                {
                    reported = RecordFailed(context, failed, reported);
                    return Task.FromResult(reported >= Options.FailedCommits);
                },
                Options.TriggerTimeout,
                cancellationToken).ConfigureAwait(false);
            if (!enough)
            {
                return BrokerSide.GaveUp(context, string.Create(CultureInfo.InvariantCulture, $"Only {reported} of the {Options.FailedCommits} offset commit(s) of group {group} the fault waits for came within {Options.TriggerTimeout.TotalSeconds:0.#} s, so no worker was killed."));
            }

            var believed = string.Join(", ", lastHeard.OrderBy(p => p.Key.Partition).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key.Topic}-{p.Key.Partition}@{p.Value}")));
            context.Record("worker-belief", $"The last commit of group {group} the worker heard succeed: {(believed.Length == 0 ? "none" : believed)}; the broker holds every failed commit above.");
            var outcome = await WindowKill.CrashAsync(
                context,
                new WindowWatch(CrashWindowKind.TargetAheadOfCommit, Options.Task, 1, Options.TriggerTimeout),
                Options.RestartWorker,
                cancellationToken).ConfigureAwait(false);
            reported = RecordFailed(context, failed, reported);
            return outcome with { Detail = string.Create(CultureInfo.InvariantCulture, $"{reported} offset commit(s) of group {group} applied and answered REQUEST_TIMED_OUT; {outcome.Detail}") };
        }
        finally
        {
            fault.Release();
            RecordFailed(context, failed, reported);
            context.Record("heal", $"The broker answers the offset commits of group {group} normally again.");
        }
    }

    /// <summary>Records each failed commit not yet recorded, returns how many are recorded in all.</summary>
    private static int RecordFailed(FaultContext context, ConcurrentQueue<BrokerExchange> failed, int reported) =>
        BrokerSide.Drain(context, failed, reported, "failed-commit", exchange => string.Create(
            CultureInfo.InvariantCulture,
            $"OffsetCommit v{exchange.Request.ApiVersion} of group {exchange.Request.GroupId} from {exchange.Request.ClientId} (member {exchange.Request.MemberId}, generation {exchange.Request.GenerationId}) applied, answered {exchange.ErrorCode}: {BrokerSide.Offsets(exchange)}."));

    private static OffsetCommitTimeoutOptions Validated(OffsetCommitTimeoutOptions options)
    {
        options.Validate();
        return options;
    }
}
