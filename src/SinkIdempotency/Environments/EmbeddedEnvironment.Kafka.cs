using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using SinkIdempotency.Broker;
using ApiKey = SinkIdempotency.Broker.Protocol.ApiKey;
using SinkIdempotency.Kafka;

namespace SinkIdempotency.Environments;

/// <content>Kafka: the in-process broker, or a cluster of the environment's own (reached, described and cleaned up here).</content>
public sealed partial class EmbeddedEnvironment
{
    /// <summary>The task slots each worker gets (<c>--cluster-slots</c>): the partitions of its assignment topic.</summary>
    internal const int WorkerClusterSlots = 64;

    /// <summary>The worker's variable for client properties kept off its command line (<c>WorkerCommandLine.ClientPropertiesVariable</c>).</summary>
    internal const string WorkerClientPropertiesVariable = "SINKIDEMPOTENCY_WORKER_CLIENT_PROPERTIES";

    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Names the workers' internal topics for a Connect cluster id, as the worker derives them.</summary>
    /// <param name="clusterId">The workers' group id.</param>
    /// <returns>The config, status and assignment topics with their partition counts.</returns>
    internal static IReadOnlyList<(string Topic, int Partitions, bool Compacted)> WorkerTopics(string clusterId) =>
    [
        ($"connect-configs-{clusterId}", 1, true),
        ($"connect-status-{clusterId}", 1, true),
        ($"connect-assignments-{clusterId}", WorkerClusterSlots, false),
    ];

    private async Task StartKafkaAsync(CancellationToken cancellationToken)
    {
        var started = _options.TimeProvider.GetTimestamp();
        if (_options.BootstrapServers is null && _options.SharedServers?.Broker is { } shared)
        {
            _broker = shared;
            _kafkaReady = true;
            return;
        }

        if (_options.BootstrapServers is null)
        {
            try
            {
                _broker = new KafkaBroker(_options.Broker);
                await _broker.StartAsync(cancellationToken).ConfigureAwait(false);
                RecordDuration("Kafka broker", started);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new EnvironmentStartException(Name, "Kafka broker", ex);
            }

            _kafkaReady = true;
            return;
        }

        try
        {
            KafkaApis = await KafkaApiSupport.ProbeAsync(Kafka, _options.KafkaReachabilityTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaProbeException ex)
        {
            throw new EnvironmentStartException(
                Name,
                "Kafka",
                new KafkaProbeException($"{RedactKafkaSecrets(ex.Message)} Check the bootstrap servers and the client settings (security.protocol, sasl.mechanism, sasl.username, sasl.password, ssl.ca.location). Nothing was started and nothing was created on the cluster.", ex));
        }

        // Kafka answered: its time counts, whatever the checks below decide.
        RecordDuration("Kafka", started);

        if (_options.TopicAdmin is null && KafkaApis is { } apis && !apis.Supports(ApiKey.CreateTopics))
        {
            throw new EnvironmentStartException(
                Name,
                "Kafka",
                new NotSupportedException($"Kafka at {_options.BootstrapServers} does not serve CreateTopics (19), so neither the harness nor the Connect workers can create the topics a run needs. Give the environment a topic admin that creates them (EmbeddedEnvironmentBuilder.WithTopicAdmin; for librdkafka's mock cluster, WithKafka(mockCluster)), or use a cluster that creates topics. Nothing was started and nothing was created on the cluster."));
        }

        _kafkaReady = true;
        if (_options.TopicAdmin is { } admin && _options.Workers > 0)
        {
            await CreateWorkerTopicsAsync(admin, cancellationToken).ConfigureAwait(false);
        }
    }

    // A cluster whose topics are not made by CreateTopics gets the workers' internal topics before any worker starts.
    private async Task CreateWorkerTopicsAsync(IKafkaTopicAdmin admin, CancellationToken cancellationToken)
    {
        var compacted = new Dictionary<string, string>(StringComparer.Ordinal) { ["cleanup.policy"] = "compact" };
        foreach (var (topic, partitions, compact) in WorkerTopics(_clusterId))
        {
            try
            {
                await admin.CreateTopicAsync(topic, partitions, compact ? compacted : null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new EnvironmentStartException(Name, "Kafka", new InvalidOperationException($"The topic admin could not create the Connect workers' internal topic '{topic}' ({partitions.ToString(CultureInfo.InvariantCulture)} partition(s)): {ex.Message}", ex));
            }
        }
    }

    // The probe's message names the endpoint with its secret settings redacted already; a client error could still quote a
    // secret's value, so each one is replaced where it appears (a pattern-based redaction would also eat the endpoint's ")").
    private string RedactKafkaSecrets(string message) => _options.KafkaSettings
        .Where(kv => Connect.SecretRedactor.IsSecretKey(kv.Key) && kv.Value.Length > 0)
        .Aggregate(message, (text, kv) => text.Replace(kv.Value, Connect.SecretRedactor.Redacted, StringComparison.Ordinal));

    private Dictionary<string, string> WorkerEnvironment() => _options.KafkaSettings.Count == 0
        ? []
        : new(StringComparer.Ordinal) { [WorkerClientPropertiesVariable] = string.Join('\n', _options.KafkaSettings.Select(kv => $"{kv.Key}={kv.Value}")) };

    // Removes from a cluster of the environment's own what its workers left there: their internal topics and their group.
    // Best effort: a cluster that cannot delete them (no DeleteTopics, no DeleteGroups) keeps them, and nothing else is touched.
    private async ValueTask DeleteClusterResourcesAsync()
    {
        if (_options.BootstrapServers is null || !_kafkaReady)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(CleanupTimeout, _options.TimeProvider);
        var topics = WorkerTopics(_clusterId).Select(t => t.Topic).ToList();
        if (_options.TopicAdmin is { } admin)
        {
            foreach (var topic in topics)
            {
                await admin.DeleteTopicAsync(topic, deadline.Token).ConfigureAwait(false);
            }
        }
        else if (KafkaApis?.Supports(ApiKey.DeleteTopics) != false)
        {
            using var probe = new KafkaProbe(Kafka, new KafkaProbeOptions { OperationTimeout = CleanupTimeout, TimeProvider = _options.TimeProvider });
            await probe.DeleteTopicsAsync(topics, deadline.Token).ConfigureAwait(false);
        }

        // Only where DeleteGroups is known to be served: librdkafka 2.16 aborts the process when an admin client that sent
        // DeleteGroups to a broker without it is disposed (seen against its own mock cluster).
        if (KafkaApis?.Supports(ApiKey.DeleteGroups) == true)
        {
            using var groups = new AdminClientBuilder(Kafka.Configure(new AdminClientConfig(), "sinkidempotency-embedded-cleanup")).Build();
            try
            {
                await groups.DeleteGroupsAsync([_clusterId], new DeleteGroupsOptions { RequestTimeout = CleanupTimeout }).WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (DeleteGroupsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.GroupIdNotFound))
            {
                // No worker ever joined.
            }
        }
    }
}
