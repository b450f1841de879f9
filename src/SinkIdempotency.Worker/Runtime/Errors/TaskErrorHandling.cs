using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Converters;
using SinkIdempotency.Worker.Hosting;

namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>Builds a task's error handling from its connector's <c>errors.*</c> settings: the operator the runtime calls and the reporter the task sees.</summary>
internal static class TaskErrorHandling
{
    public static (RecordErrorHandler Handler, IErrantRecordReporter? Reporter) Create(
        ConnectorTaskId id,
        IReadOnlyDictionary<string, string> connectorConfig,
        WorkerOptions options,
        TimeProvider time,
        ILogger log)
    {
        var config = ErrorHandlingConfig.Parse(connectorConfig);
        var reporters = new List<IErrorReporter>();
        if (config.DeadLetterQueueTopic.Length > 0)
        {
            reporters.Add(DeadLetterQueueReporter.Create(id, config, options, log));
        }

        if (config.LogEnable)
        {
            reporters.Add(new LogReporter(log, config.LogIncludeMessages));
        }

        var stageClasses = new Dictionary<string, string>
        {
            [ErrorStage.KeyConverter] = ConverterClass("key.converter", connectorConfig, options.WorkerProperties),
            [ErrorStage.ValueConverter] = ConverterClass("value.converter", connectorConfig, options.WorkerProperties),
            [ErrorStage.TaskPut] = ErrorStage.SinkTaskClass,
        };
        var handler = new RetryWithToleranceOperator(id, config, reporters, stageClasses, time, log);
        return (handler, config.ErrantRecordReporterEnabled ? new WorkerErrantRecordReporter(handler) : null);
    }

    private static string ConverterClass(string prefix, IReadOnlyDictionary<string, string> connectorConfig, IReadOnlyDictionary<string, string> workerConfig)
    {
        var source = connectorConfig.ContainsKey(prefix) ? connectorConfig : workerConfig;
        var name = source.TryGetValue(prefix, out var c) ? c.Trim() : ConverterFactory.JsonConverterClass;
        return ConverterFactory.Resolve(name) ?? name;
    }
}
