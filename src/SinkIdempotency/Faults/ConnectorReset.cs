using System.Globalization;
using SinkIdempotency.Environments;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>Stops the run's connector, moves its offsets and resumes it: the steps every replay-like fault shares.</summary>
internal static class ConnectorReset
{
    /// <summary>Stops the connector and waits until it reports STOPPED with no tasks; on timeout resumes it and returns why.</summary>
    /// <returns><see langword="null"/> when stopped; otherwise the failure detail.</returns>
    public static async Task<string?> StopAsync(FaultContext context, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connector = context.Names.Connector;
        await context.Environment.StopConnectorAsync(connector, cancellationToken).ConfigureAwait(false);
        context.Record("stop-connector", $"Stopped connector {connector}.");
        var stopped = await context.WaitUntilAsync(
            async ct => (await context.Environment.GetConnectorAsync(connector, ct).ConfigureAwait(false)) is { State: "STOPPED", Tasks.Count: 0 },
            timeout,
            cancellationToken).ConfigureAwait(false);
        if (stopped)
        {
            return null;
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"Connector {connector} did not reach STOPPED with no tasks within {timeout.TotalSeconds:0.#} s.");
        context.Record("gave-up", detail);
        await context.Environment.ResumeConnectorAsync(connector, cancellationToken).ConfigureAwait(false);
        return detail;
    }

    /// <summary>Moves the stopped connector's offsets (to <paramref name="offsets"/>, or to the beginning when null), resumes it and waits until it runs.</summary>
    /// <param name="context">The fault's context.</param>
    /// <param name="method">How the offsets are moved.</param>
    /// <param name="offsets">The offsets per partition, or <see langword="null"/> to reset to the beginning.</param>
    /// <param name="how">The words for the move in the evidence, e.g. <c>reset to the beginning</c>.</param>
    /// <param name="timeout">How long to retry the move and to wait for the connector to run again.</param>
    /// <param name="cancellationToken">Cancels the steps.</param>
    /// <returns><see langword="null"/> when the connector runs again from the new offsets; otherwise the failure detail.</returns>
    public static async Task<string?> MoveAndResumeAsync(
        FaultContext context,
        ReplayResetMethod method,
        IReadOnlyDictionary<SourcePartition, long>? offsets,
        string how,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var names = context.Names;
        var useApi = method == ReplayResetMethod.OffsetsApi
            || (method == ReplayResetMethod.Automatic && context.Environment.Capabilities.HasFlag(EnvironmentCapabilities.OffsetsApi));

        // Tasks of a stopped connector can linger as group members for a moment; the reset is retried until they leave.
        Exception? last = null;
        var reset = await context.WaitUntilAsync(
            async ct =>
            {
                try
                {
                    if (useApi)
                    {
                        await context.Environment.AlterConnectorOffsetsAsync(names.Connector, offsets, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await context.Environment.ResetConsumerGroupAsync(names.GroupId, offsets, ct).ConfigureAwait(false);
                    }

                    return true;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    last = ex;
                    return false;
                }
            },
            timeout,
            cancellationToken).ConfigureAwait(false);
        if (!reset)
        {
            var detail = $"The offsets could not be {how} through {(useApi ? "the offsets API" : "the consumer group")}: {last?.Message}";
            context.Record("gave-up", detail);
            await context.Environment.ResumeConnectorAsync(names.Connector, cancellationToken).ConfigureAwait(false);
            return detail;
        }

        context.Record(useApi ? "reset-offsets-api" : "reset-consumer-group", $"Offsets {how} through {(useApi ? "the offsets API" : $"consumer group {names.GroupId}")}.");
        await context.Environment.ResumeConnectorAsync(names.Connector, cancellationToken).ConfigureAwait(false);
        context.Record("resume-connector", $"Resumed connector {names.Connector}.");
        return await context.WaitForRunningAsync(timeout, cancellationToken).ConfigureAwait(false)
            ? null
            : $"The offsets were {how}, but the connector did not run again within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.";
    }

    /// <summary>Tells why neither reset path is available, or <see langword="null"/> when one is.</summary>
    public static string? MissingResetReason(ReplayResetMethod method, EnvironmentCapabilities available, string fault) =>
        method == ReplayResetMethod.Automatic
            && (available & (EnvironmentCapabilities.OffsetsApi | EnvironmentCapabilities.ConsumerGroupReset)) == EnvironmentCapabilities.None
            ? $"{fault} needs the offsets API or a consumer group reset, and the environment has neither."
            : null;

    /// <summary>Gets the capabilities a reset by <paramref name="method"/> needs.</summary>
    public static EnvironmentCapabilities Required(ReplayResetMethod method) => method switch
    {
        ReplayResetMethod.OffsetsApi => EnvironmentCapabilities.OffsetsApi,
        ReplayResetMethod.ConsumerGroup => EnvironmentCapabilities.ConsumerGroupReset,
        _ => EnvironmentCapabilities.None,
    };
}
