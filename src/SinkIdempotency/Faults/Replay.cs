using System.Globalization;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>Replays the topic into the sink: stop the connector, reset its offsets, resume, and reconcile again.</summary>
/// <remarks>
/// Runs after the pipeline settled once. The offsets are moved through Kafka Connect's offsets API (KIP-875) or, where
/// the API is missing, through the consumer group while the connector is stopped, always to named offsets (offset 0 for a
/// replay from the beginning), so the connector's <c>auto.offset.reset</c> cannot turn the replay into a no-op. An
/// idempotent sink ends with the same target as before; an append-only sink duplicates everything replayed. The evidence
/// holds the offsets before and after the reset.
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class Replay(ReplayOptions? options = null) : Fault
{
    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public ReplayOptions Options { get; } = Validated(options ?? new ReplayOptions());

    /// <inheritdoc />
    public override string Name => "replay";

    /// <inheritdoc />
    public override EnvironmentCapabilities RequiredCapabilities => ConnectorReset.Required(Options.Method);

    /// <inheritdoc />
    protected internal override FaultTiming Timing => FaultTiming.AfterSettle;

    /// <inheritdoc />
    public override string? MissingCapabilityReason(EnvironmentCapabilities available) =>
        ConnectorReset.MissingResetReason(Options.Method, available, "Replay") ?? base.MissingCapabilityReason(available);

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var committed = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
        if (await ConnectorReset.StopAsync(context, Options.Timeout, cancellationToken).ConfigureAwait(false) is { } notStopped)
        {
            return new FaultOutcome(false, notStopped);
        }

        // The beginning is named (offset 0 of every partition of the run's own topic), never left to the consumer: deleting
        // the offsets hands the start to the connector's auto.offset.reset, and with latest the replay re-delivers nothing,
        // so an append-only sink would pass a replay it never saw.
        IReadOnlyDictionary<SourcePartition, long> target = Options.RewindBy is { } rewind
            ? committed.ToDictionary(p => p.Key, p => Math.Max(0, p.Value - rewind))
            : (await context.Environment.GetEndOffsetsAsync(context.Names.Topic, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Key, _ => 0L);
        var how = Options.RewindBy is null ? "reset to the beginning" : string.Create(CultureInfo.InvariantCulture, $"rewound by {Options.RewindBy} record(s) per partition");
        return await ConnectorReset.MoveAndResumeAsync(context, Options.Method, target, how, Options.Timeout, cancellationToken).ConfigureAwait(false) is { } failed
            ? new FaultOutcome(false, failed)
            : new FaultOutcome(true, $"Stopped the connector, {how} its offsets and resumed it.");
    }

    private static ReplayOptions Validated(ReplayOptions options)
    {
        options.Validate();
        return options;
    }
}
