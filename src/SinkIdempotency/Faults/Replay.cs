using System.Globalization;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>Replays the topic into the sink: stop the connector, reset its offsets, resume, and reconcile again.</summary>
/// <remarks>
/// Runs after the pipeline settled once. The offsets are reset through Kafka Connect's offsets API (KIP-875) or, where
/// the API is missing, through the consumer group while the connector is stopped. An idempotent sink ends with the same
/// target as before; an append-only sink duplicates everything replayed. The evidence holds the offsets before and
/// after the reset.
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
    public override EnvironmentCapabilities RequiredCapabilities => Options.Method switch
    {
        ReplayResetMethod.OffsetsApi => EnvironmentCapabilities.OffsetsApi,
        ReplayResetMethod.ConsumerGroup => EnvironmentCapabilities.ConsumerGroupReset,
        _ => EnvironmentCapabilities.None,
    };

    /// <inheritdoc />
    protected internal override FaultTiming Timing => FaultTiming.AfterSettle;

    /// <inheritdoc />
    public override string? MissingCapabilityReason(EnvironmentCapabilities available) =>
        Options.Method == ReplayResetMethod.Automatic
            && (available & (EnvironmentCapabilities.OffsetsApi | EnvironmentCapabilities.ConsumerGroupReset)) == EnvironmentCapabilities.None
            ? "Replay needs the offsets API or a consumer group reset, and the environment has neither."
            : base.MissingCapabilityReason(available);

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var names = context.Names;
        var committed = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
        await context.Environment.StopConnectorAsync(names.Connector, cancellationToken).ConfigureAwait(false);
        context.Record("stop-connector", $"Stopped connector {names.Connector}.");
        var stopped = await context.WaitUntilAsync(
            async ct => (await context.Environment.GetConnectorAsync(names.Connector, ct).ConfigureAwait(false)) is { State: "STOPPED", Tasks.Count: 0 },
            Options.Timeout,
            cancellationToken).ConfigureAwait(false);
        if (!stopped)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"Connector {names.Connector} did not reach STOPPED with no tasks within {Options.Timeout.TotalSeconds:0.#} s.");
            context.Record("gave-up", detail);
            await context.Environment.ResumeConnectorAsync(names.Connector, cancellationToken).ConfigureAwait(false);
            return new FaultOutcome(false, detail);
        }

        IReadOnlyDictionary<SourcePartition, long>? target = Options.RewindBy is { } rewind
            ? committed.ToDictionary(p => p.Key, p => Math.Max(0, p.Value - rewind))
            : null;
        var useApi = Options.Method == ReplayResetMethod.OffsetsApi
            || (Options.Method == ReplayResetMethod.Automatic && context.Environment.Capabilities.HasFlag(EnvironmentCapabilities.OffsetsApi));
        var how = target is null ? "reset to the beginning" : string.Create(CultureInfo.InvariantCulture, $"rewound by {Options.RewindBy} record(s) per partition");

        // Tasks of a stopped connector can linger as group members for a moment; the reset is retried until they leave.
        Exception? last = null;
        var reset = await context.WaitUntilAsync(
            async ct =>
            {
                try
                {
                    if (useApi)
                    {
                        await context.Environment.AlterConnectorOffsetsAsync(names.Connector, target, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await context.Environment.ResetConsumerGroupAsync(names.GroupId, target, ct).ConfigureAwait(false);
                    }

                    return true;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    last = ex;
                    return false;
                }
            },
            Options.Timeout,
            cancellationToken).ConfigureAwait(false);
        if (!reset)
        {
            var detail = $"The offsets could not be {how} through {(useApi ? "the offsets API" : "the consumer group")}: {last?.Message}";
            context.Record("gave-up", detail);
            await context.Environment.ResumeConnectorAsync(names.Connector, cancellationToken).ConfigureAwait(false);
            return new FaultOutcome(false, detail);
        }

        context.Record(useApi ? "reset-offsets-api" : "reset-consumer-group", $"Offsets {how} through {(useApi ? "the offsets API" : $"consumer group {names.GroupId}")}.");
        await context.Environment.ResumeConnectorAsync(names.Connector, cancellationToken).ConfigureAwait(false);
        context.Record("resume-connector", $"Resumed connector {names.Connector}.");
        var running = await context.WaitForRunningAsync(Options.Timeout, cancellationToken).ConfigureAwait(false);
        return running
            ? new FaultOutcome(true, $"Stopped the connector, {how} its offsets and resumed it.")
            : new FaultOutcome(false, $"The offsets were {how}, but the connector did not run again within {Options.Timeout.TotalSeconds:0.#} s.");
    }

    private static ReplayOptions Validated(ReplayOptions options)
    {
        options.Validate();
        return options;
    }
}
