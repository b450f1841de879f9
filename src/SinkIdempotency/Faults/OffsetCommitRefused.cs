using System.Collections.Concurrent;
using System.Globalization;
using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Environments;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>Lets the broker refuse the sink's offset commits with a retriable coordinator error, without storing them, for a bounded time; then it stores them again.</summary>
/// <remarks>
/// <para>
/// The twin of <see cref="OffsetCommitTimeout"/> in which the broker did <em>not</em> apply the commit: the group's committed
/// offsets stand still while the sink keeps writing, and the worker is told so. No worker is killed and no rebalance is
/// caused: the group's heartbeats are answered throughout.
/// </para>
/// <para>
/// Kafka's Java consumer fails an asynchronous commit refused with <c>COORDINATOR_LOAD_IN_PROGRESS</c>, <c>NOT_COORDINATOR</c> or
/// <c>COORDINATOR_NOT_AVAILABLE</c> with a <c>RetriableCommitFailedException</c> (and looks the coordinator up again for the
/// last two); Kafka Connect's <c>WorkerSinkTask</c> logs the failure, counts it and commits its newer offsets at the next
/// interval, neither rewinding nor stopping the task. librdkafka retries the refused request itself. Either way a correct
/// worker loses and repeats nothing: once the broker stores commits again, the group's offsets catch up with the target, so
/// both the plain insert and the upsert come out green. A worker that rewinds to its last stored commit on the failure,
/// fails the task, or stops committing shows up as duplicates, a failed task or offsets that never catch up. Each refused
/// commit is recorded with its group, client, partitions and offsets (action <c>refused-commit</c>), then the first commit
/// stored after the refusals (action <c>stored-commit</c>).
/// </para>
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class OffsetCommitRefused(OffsetCommitRefusedOptions? options = null) : Fault
{
    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public OffsetCommitRefusedOptions Options { get; } = Validated(options ?? new OffsetCommitRefusedOptions());

    /// <inheritdoc />
    public override string Name => "offset-commit-refused";

    /// <inheritdoc />
    public override EnvironmentCapabilities RequiredCapabilities => EnvironmentCapabilities.BrokerFaults;

    /// <inheritdoc />
    public override string? MissingCapabilityReason(EnvironmentCapabilities available) =>
        BrokerSide.MissingReason(Name, "refuse an offset commit without storing it", RequiredCapabilities & ~available)
            ?? base.MissingCapabilityReason(available);

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var broker = BrokerSide.BrokerOf(context);
        var group = context.Names.GroupId;
        var error = ErrorOf(Options.Error);
        var refused = new ConcurrentQueue<BrokerExchange>();
        var stored = new ConcurrentQueue<BrokerExchange>();
        var healed = 0;
        using var observer = broker.ObserveRequests(exchange =>
        {
            if (exchange.Request.ApiKey != ApiKey.OffsetCommit || exchange.Request.GroupId != group)
            {
                return;
            }

            if (exchange.Fault is not null && !exchange.Handled)
            {
                refused.Enqueue(exchange);
            }
            else if (Volatile.Read(ref healed) == 1 && exchange.Handled && exchange.Offsets.All(o => o.Error is null or ErrorCode.None))
            {
                stored.Enqueue(exchange);
            }
        });

        if (await BrokerSide.WaitForTargetRowsAsync(context, Options.AfterTargetRows, Options.TriggerTimeout, "no commit was refused", cancellationToken).ConfigureAwait(false) is { } gaveUp)
        {
            return gaveUp;
        }

        var fault = broker.InjectFault(new BrokerFaultOptions
        {
            ApiKey = ApiKey.OffsetCommit,
            GroupId = group,
            Timing = BrokerFaultTiming.BeforeHandling,
            Action = BrokerFaultAction.RespondWithError,
            Error = error,
            Times = 0,
        });
        context.Record("refuse-commits", string.Create(CultureInfo.InvariantCulture, $"The broker answers every OffsetCommit of group {group} {error} without storing it, for {Options.Duration.TotalSeconds:0.###} s from the first one."));
        var reported = 0;
        DateTimeOffset? first = null;
        IReadOnlyDictionary<SourcePartition, long> before, during;
        try
        {
            var seen = await context.WaitUntilAsync(_ => Task.FromResult(fault.MatchCount > 0), Options.TriggerTimeout, cancellationToken).ConfigureAwait(false);
            if (!seen)
            {
                return BrokerSide.GaveUp(context, string.Create(CultureInfo.InvariantCulture, $"No offset commit of group {group} came within {Options.TriggerTimeout.TotalSeconds:0.#} s, so none was refused."));
            }

            first = context.Now;
            before = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(Options.Duration, context.TimeProvider, cancellationToken).ConfigureAwait(false);
            during = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            fault.Release();
            Volatile.Write(ref healed, 1);
            reported = RecordRefused(context, refused, reported);
            context.Record("heal", $"The broker stores the offset commits of group {group} again.");
        }

        var span = context.Now - first!.Value;
        var stayed = before.Count == during.Count && before.All(p => during.TryGetValue(p.Key, out var o) && o == p.Value);
        var held = string.Create(CultureInfo.InvariantCulture, $"The committed offsets of group {group} {(stayed ? "stayed at" : "moved, although every commit was refused, from")} {Describe(before)}{(stayed ? string.Empty : " to " + Describe(during))} while its commits were refused.");
        context.Record(stayed ? "offsets-held" : "offsets-moved", held);
        var caught = await context.WaitUntilAsync(_ => Task.FromResult(!stored.IsEmpty), Options.TriggerTimeout, cancellationToken).ConfigureAwait(false);
        reported = RecordRefused(context, refused, reported);
        var detail = string.Create(CultureInfo.InvariantCulture, $"{reported} offset commit(s) of group {group} refused with {error} and not stored, over {span.TotalSeconds:0.0} s");
        if (!caught || !stored.TryPeek(out var after))
        {
            var missing = string.Create(CultureInfo.InvariantCulture, $"no offset commit of group {group} was stored within {Options.TriggerTimeout.TotalSeconds:0.#} s after the broker healed");
            context.Record("no-stored-commit", missing);
            return new FaultOutcome(true, $"{detail}; {missing}.") { Caveat = $"The worker committed nothing after the refusals ({missing}): its committed offsets may stay behind the target." };
        }

        context.Record(
            "stored-commit",
            string.Create(CultureInfo.InvariantCulture, $"The first OffsetCommit of group {group} stored after the refusals, from {after.Request.ClientId} (member {after.Request.MemberId}, generation {after.Request.GenerationId}), {(after.CompletedAt - first.Value).TotalSeconds:0.0} s after the first refusal: {BrokerSide.Offsets(after)}."));
        return new FaultOutcome(true, $"{detail}; the worker's next commit was stored: {BrokerSide.Offsets(after)}.") { Caveat = stayed ? null : held };
    }

    private static string Describe(IReadOnlyDictionary<SourcePartition, long> offsets) =>
        offsets.Count == 0 ? "none" : string.Join(", ", offsets.OrderBy(p => p.Key.Partition).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}@{p.Value}")));

    /// <summary>Returns the broker error code of a refusal.</summary>
    internal static ErrorCode ErrorOf(OffsetCommitRefusal refusal) => refusal switch
    {
        OffsetCommitRefusal.NotCoordinator => ErrorCode.NotCoordinator,
        OffsetCommitRefusal.CoordinatorNotAvailable => ErrorCode.CoordinatorNotAvailable,
        _ => ErrorCode.CoordinatorLoadInProgress,
    };

    private static int RecordRefused(FaultContext context, ConcurrentQueue<BrokerExchange> refused, int reported) =>
        BrokerSide.Drain(context, refused, reported, "refused-commit", exchange => string.Create(
            CultureInfo.InvariantCulture,
            $"OffsetCommit v{exchange.Request.ApiVersion} of group {exchange.Request.GroupId} from {exchange.Request.ClientId} (member {exchange.Request.MemberId}, generation {exchange.Request.GenerationId}) refused {exchange.ErrorCode}, not stored: {BrokerSide.Offsets(exchange)}."));

    private static OffsetCommitRefusedOptions Validated(OffsetCommitRefusedOptions options)
    {
        options.Validate();
        return options;
    }
}
