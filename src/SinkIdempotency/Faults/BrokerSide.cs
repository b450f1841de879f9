using System.Collections.Concurrent;
using System.Globalization;
using SinkIdempotency.Broker;
using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Environments;

namespace SinkIdempotency.Faults;

/// <summary>Holds what the failure cases acted out by the embedded broker share: finding the broker, the reason when none serves, and how a request they acted on reads in the evidence.</summary>
internal static class BrokerSide
{
    /// <summary>Returns why a broker-side fault cannot run where <see cref="EnvironmentCapabilities.BrokerFaults"/> is missing, or <see langword="null"/> when it is there.</summary>
    /// <param name="fault">The fault's report name.</param>
    /// <param name="what">What the broker must do, completing "only the embedded environment's in-process broker can …".</param>
    /// <param name="missing">The capabilities the fault needs and the environment lacks.</param>
    public static string? MissingReason(string fault, string what, EnvironmentCapabilities missing) =>
        missing.HasFlag(EnvironmentCapabilities.BrokerFaults)
            ? $"{fault} needs broker-side faults (EnvironmentCapabilities.BrokerFaults): only the embedded environment's in-process broker can {what}; Docker, external clusters and the embedded environment on a Kafka of its own cannot."
            : null;

    /// <summary>Returns the in-process broker of the environment the fault runs in.</summary>
    /// <exception cref="InvalidOperationException">Thrown when the environment announces broker faults but gives no broker.</exception>
    public static KafkaBroker BrokerOf(FaultContext context) =>
        (context.Environment.Environment as IBrokerFaultHost)?.Broker
            ?? throw new InvalidOperationException($"The {context.Environment.Name} environment announces broker faults but gives no broker (implement {nameof(IBrokerFaultHost)}).");

    /// <summary>Describes one partition list of an offset request for the evidence, <c>topic-partition@offset, …</c>.</summary>
    public static string Offsets(BrokerExchange exchange) =>
        string.Join(", ", exchange.Offsets.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Topic}-{o.Partition}@{o.Offset}")));

    /// <summary>Records each exchange of the queue not yet recorded as one evidence action; returns how many are recorded in all.</summary>
    public static int Drain(FaultContext context, ConcurrentQueue<BrokerExchange> exchanges, int reported, string action, Func<BrokerExchange, string> describe)
    {
        while (exchanges.TryDequeue(out var exchange))
        {
            reported++;
            context.Record(action, describe(exchange));
        }

        return reported;
    }

    /// <summary>Waits until the target holds <paramref name="rows"/> rows, so the fault acts mid-stream.</summary>
    /// <param name="context">The fault's context.</param>
    /// <param name="rows">The rows the target must hold.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="nothing">What was then not done, completing "…, so …", e.g. <c>no fetch was held</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="null"/> once the target holds the rows; the outcome of a fault that gave up otherwise.</returns>
    public static async Task<FaultOutcome?> WaitForTargetRowsAsync(FaultContext context, int rows, TimeSpan timeout, string nothing, CancellationToken cancellationToken)
    {
        var armed = await context.WaitUntilAsync(
            async ct => await context.CountTargetRowsAsync(ct).ConfigureAwait(false) >= rows,
            timeout,
            cancellationToken).ConfigureAwait(false);
        return armed ? null : GaveUp(context, string.Create(CultureInfo.InvariantCulture, $"The target never held {rows} row(s) within {timeout.TotalSeconds:0.#} s, so {nothing}."));
    }

    /// <summary>Records that the fault gave up and returns the outcome saying so.</summary>
    public static FaultOutcome GaveUp(FaultContext context, string detail)
    {
        context.Record("gave-up", detail);
        return new FaultOutcome(false, detail);
    }
}
