using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Worker.Cluster;
using SinkIdempotency.Worker.Hosting;

namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>
/// Writes failed records' original bytes (key, value, headers, timestamp) to the dead-letter queue topic, with the
/// <c>__connect.errors.*</c> context headers when enabled (Connect's <c>DeadLetterQueueReporter</c>).
/// </summary>
internal sealed class DeadLetterQueueReporter : IErrorReporter
{
    public const string HeaderPrefix = "__connect.errors.";
    public const string OriginalTopicHeader = HeaderPrefix + "topic";
    public const string OriginalPartitionHeader = HeaderPrefix + "partition";
    public const string OriginalOffsetHeader = HeaderPrefix + "offset";
    public const string ConnectorNameHeader = HeaderPrefix + "connector.name";
    public const string TaskIdHeader = HeaderPrefix + "task.id";
    public const string StageHeader = HeaderPrefix + "stage";
    public const string ExecutingClassHeader = HeaderPrefix + "class.name";
    public const string ExceptionClassHeader = HeaderPrefix + "exception.class.name";
    public const string ExceptionMessageHeader = HeaderPrefix + "exception.message";
    public const string ExceptionStackTraceHeader = HeaderPrefix + "exception.stacktrace";

    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly string _topic;
    private readonly bool _contextHeaders;
    private readonly ILogger _log;

    private DeadLetterQueueReporter(IProducer<byte[]?, byte[]?> producer, string topic, bool contextHeaders, ILogger log)
    {
        _producer = producer;
        _topic = topic;
        _contextHeaders = contextHeaders;
        _log = log;
    }

    /// <summary>Creates the topic when missing (one partition, the configured replication factor) and the task's producer.</summary>
    public static DeadLetterQueueReporter Create(ConnectorTaskId id, ErrorHandlingConfig config, WorkerOptions options, ILogger log)
    {
        using (var admin = new AdminClientBuilder(ClientConfigs.Admin(options, $"connector-dlq-adminclient-{id.Connector}")).Build())
        {
            var metadata = admin.GetMetadata(config.DeadLetterQueueTopic, TimeSpan.FromSeconds(30));
            var exists = metadata.Topics.Any(t => t.Topic == config.DeadLetterQueueTopic && t.Error.Code == ErrorCode.NoError);
            if (!exists)
            {
                try
                {
                    admin.CreateTopicsAsync(
                        [new TopicSpecification { Name = config.DeadLetterQueueTopic, NumPartitions = 1, ReplicationFactor = config.DeadLetterQueueReplicationFactor }],
                        new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(30) }).GetAwaiter().GetResult();
                    log.LogInformation("Created dead letter queue topic {Topic}", config.DeadLetterQueueTopic);
                }
                catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
                {
                }
                catch (CreateTopicsException e)
                {
                    throw new Sink.ConnectException($"Could not initialize dead letter queue with topic={config.DeadLetterQueueTopic}: {e.Results[0].Error.Reason}", e);
                }
            }
        }

        var producerConfig = ClientConfigs.Producer(options, $"connector-dlq-producer-{id}");
        var producer = new ProducerBuilder<byte[]?, byte[]?>(producerConfig).Build();
        return new DeadLetterQueueReporter(producer, config.DeadLetterQueueTopic, config.DeadLetterQueueContextHeaders, log);
    }

    public async Task ReportAsync(ErrorContext context)
    {
        var original = context.Original;
        var headers = new Headers();
        foreach (var header in original.Headers)
        {
            headers.Add(header.Key, header.Value?.ToArray());
        }

        if (_contextHeaders)
        {
            AddContextHeaders(headers, context);
        }

        var message = new Message<byte[]?, byte[]?>
        {
            Key = original.Key,
            Value = original.Value,
            Headers = headers,
            Timestamp = original.Timestamp is { } timestamp ? new Timestamp(timestamp) : Timestamp.Default,
        };
        try
        {
            await _producer.ProduceAsync(_topic, message).ConfigureAwait(false);
        }
        catch (ProduceException<byte[]?, byte[]?> e)
        {
            _log.LogError(e, "Could not produce message to dead letter queue. topic={Topic}", _topic);
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            _producer.Flush(TimeSpan.FromSeconds(30));
        }
        finally
        {
            _producer.Dispose();
        }
    }

    internal static void AddContextHeaders(Headers headers, ErrorContext context)
    {
        var original = context.Original;
        headers.Add(OriginalTopicHeader, Utf8(original.Topic));
        headers.Add(OriginalPartitionHeader, Utf8(original.Partition.ToString(CultureInfo.InvariantCulture)));
        headers.Add(OriginalOffsetHeader, Utf8(original.Offset.ToString(CultureInfo.InvariantCulture)));
        headers.Add(ConnectorNameHeader, Utf8(context.TaskId.Connector));
        headers.Add(TaskIdHeader, Utf8(context.TaskId.Task.ToString(CultureInfo.InvariantCulture)));
        headers.Add(StageHeader, Utf8(context.Stage));
        headers.Add(ExecutingClassHeader, Utf8(context.ExecutingClass));
        headers.Add(ExceptionClassHeader, Utf8(JavaTrace.ClassName(context.Error)));
        headers.Add(ExceptionMessageHeader, Utf8(context.Error.Message));
        headers.Add(ExceptionStackTraceHeader, Utf8(JavaTrace.Format(context.Error)));
    }

    private static byte[]? Utf8(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);
}
