using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Kafka;

/// <summary>Lists the Kafka APIs a cluster serves, with their version ranges, as its brokers announced them (ApiVersions).</summary>
/// <remarks>
/// Kafka-compatible clusters differ most in what they leave out: librdkafka's mock cluster serves no topic or group
/// administration, some managed services refuse DeleteRecords or the ACL APIs. An environment running on a cluster the
/// harness did not start reads this once at start and withdraws the capabilities whose APIs are missing, so a scenario
/// that needs one is skipped with the reason instead of failing halfway.
/// </remarks>
public sealed partial class KafkaApiSupport
{
    private readonly Dictionary<ApiKey, (short Min, short Max)> _apis;

    /// <summary>Initializes a new instance of the <see cref="KafkaApiSupport"/> class.</summary>
    /// <param name="apis">Each API the cluster serves, with its lowest and highest version.</param>
    public KafkaApiSupport(IReadOnlyDictionary<ApiKey, (short Min, short Max)> apis)
    {
        ArgumentNullException.ThrowIfNull(apis);
        _apis = new Dictionary<ApiKey, (short Min, short Max)>(apis);
    }

    /// <summary>Gets each API the cluster serves, with its lowest and highest version.</summary>
    public IReadOnlyDictionary<ApiKey, (short Min, short Max)> Apis => _apis;

    /// <summary>Tells whether the cluster serves an API.</summary>
    /// <param name="api">The API key.</param>
    /// <returns><see langword="true"/> when every broker that answered announced it.</returns>
    public bool Supports(ApiKey api) => _apis.ContainsKey(api);

    /// <summary>Lists which of the given APIs the cluster does not serve.</summary>
    /// <param name="apis">The APIs to check.</param>
    /// <returns>The missing ones, in the order given.</returns>
    public IReadOnlyList<ApiKey> Missing(params ApiKey[] apis)
    {
        ArgumentNullException.ThrowIfNull(apis);
        return [.. apis.Where(a => !Supports(a))];
    }

    /// <summary>Formats APIs for messages, e.g. <c>DeleteGroups (42), OffsetDelete (47)</c>.</summary>
    /// <param name="apis">The APIs.</param>
    /// <returns>Each API's name and key, comma-separated.</returns>
    public static string Describe(IEnumerable<ApiKey> apis)
    {
        ArgumentNullException.ThrowIfNull(apis);
        return string.Join(", ", apis.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a} ({(short)a})")));
    }

    /// <summary>Connects to a cluster and reads the APIs its bootstrap broker announces; also proves the cluster answers.</summary>
    /// <param name="endpoint">The cluster, with its client settings (SASL, TLS) passed through.</param>
    /// <param name="timeout">How long the cluster may take to answer a metadata request.</param>
    /// <param name="timeProvider">The clock for the deadline.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The APIs, or <see langword="null"/> when the cluster answered but its announcement could not be read (then assume a full Kafka).</returns>
    /// <exception cref="KafkaProbeException">The cluster did not answer within <paramref name="timeout"/>, or the client settings were refused; the message names the last client error.</exception>
    /// <remarks>
    /// librdkafka has no public call for a broker's ApiVersions answer, but logs it under its <c>feature</c> debug context
    /// when the connection is set up; the probe's own admin client enables that context and reads the lines, so it works
    /// over any security protocol the client settings configure.
    /// </remarks>
    public static async Task<KafkaApiSupport?> ProbeAsync(KafkaEndpoint endpoint, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var lines = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        IAdminClient admin;
        try
        {
            var config = endpoint.Configure(new AdminClientConfig(), "sinkidempotency-kafka-probe");
            config.Debug = "feature";
            admin = new AdminClientBuilder(config)
                .SetLogHandler((_, log) =>
                {
                    if (log.Facility == "APIVERSION")
                    {
                        lines.Enqueue(log.Message);
                    }
                    else if (log.Level <= SyslogLevel.Warning)
                    {
                        errors.Enqueue(log.Message);
                    }
                })
                .SetErrorHandler((_, error) => errors.Enqueue(error.Reason))
                .Build();
        }
        catch (Exception ex) when (ex is ArgumentException or KafkaException or InvalidOperationException)
        {
            throw new KafkaProbeException($"The Kafka client settings for {endpoint} were rejected: {ex.Message} Check them against librdkafka's configuration names.", ex);
        }

        using (admin)
        {
            try
            {
                await Task.Run(() => admin.GetMetadata(timeout), CancellationToken.None)
                    .WaitAsync(timeout + TimeSpan.FromSeconds(5), timeProvider, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is KafkaException or TimeoutException)
            {
                var cause = errors.LastOrDefault();
                throw new KafkaProbeException(
                    string.Create(CultureInfo.InvariantCulture, $"Kafka at {endpoint} did not answer a metadata request within {timeout.TotalSeconds:0.#} s ({ex.Message}{(cause is null ? string.Empty : "; last client error: " + cause)})."),
                    ex);
            }

            // The announcement is logged before the metadata request is sent on the same connection; a short grace covers a late log callback.
            var deadline = Deadline.After(TimeSpan.FromSeconds(1), timeProvider);
            while (lines.IsEmpty && !deadline.HasPassed)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider, cancellationToken).ConfigureAwait(false);
            }

            return Parse(lines);
        }
    }

    /// <summary>Reads librdkafka's <c>APIVERSION</c> debug lines into the APIs every broker announced.</summary>
    /// <param name="lines">The log messages.</param>
    /// <returns>The APIs common to every broker that logged its announcement, or <see langword="null"/> when no line could be read.</returns>
    internal static KafkaApiSupport? Parse(IEnumerable<string> lines)
    {
        var brokers = new Dictionary<string, Dictionary<ApiKey, (short Min, short Max)>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var match = ApiLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var broker = match.Groups["broker"].Value.Trim();
            if (!brokers.TryGetValue(broker, out var apis))
            {
                brokers[broker] = apis = [];
            }

            apis[(ApiKey)short.Parse(match.Groups["key"].Value, CultureInfo.InvariantCulture)] =
                (short.Parse(match.Groups["min"].Value, CultureInfo.InvariantCulture), short.Parse(match.Groups["max"].Value, CultureInfo.InvariantCulture));
        }

        if (brokers.Count == 0)
        {
            return null;
        }

        // An API counts only where every broker serves it: a request can reach any of them.
        var common = brokers.Values.First();
        foreach (var other in brokers.Values.Skip(1))
        {
            common = common.Where(kv => other.ContainsKey(kv.Key))
                .ToDictionary(kv => kv.Key, kv => ((short)Math.Max(kv.Value.Min, other[kv.Key].Min), (short)Math.Min(kv.Value.Max, other[kv.Key].Max)));
        }

        return new KafkaApiSupport(common);
    }

    [GeneratedRegex(@"^(?<broker>.*?)ApiKey \S+ \((?<key>-?\d+)\) Versions (?<min>-?\d+)\.\.(?<max>-?\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ApiLine();
}
