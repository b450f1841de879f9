using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Runtime;
using SinkIdempotency.Worker.Runtime.Errors;

namespace SinkIdempotency.Worker.Tests.Runtime.Errors;

public sealed class RetryWithToleranceOperatorTests
{
    private static readonly ConnectorTaskId TaskId = new("orders-sink", 2);

    private static ConsumedRecord Record(long offset = 7) =>
        new("orders", 1, offset, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("garbage"), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), TimestampType.CreateTime, [new SinkRecordHeader("h", Encoding.UTF8.GetBytes("v"))]);

    private static (RetryWithToleranceOperator Operator, RecordingReporter Reporter) Create(Dictionary<string, string>? config = null)
    {
        var reporter = new RecordingReporter();
        var parsed = ErrorHandlingConfig.Parse(config ?? []);
        var stageClasses = new Dictionary<string, string> { [ErrorStage.ValueConverter] = "org.apache.kafka.connect.json.JsonConverter" };
        return (new RetryWithToleranceOperator(TaskId, parsed, [reporter], stageClasses, TimeProvider.System, NullLogger.Instance), reporter);
    }

    [Fact]
    public void Config_Defaults_AsConnect()
    {
        var config = ErrorHandlingConfig.Parse(new Dictionary<string, string>());

        config.ToleranceAll.Should().BeFalse();
        config.RetryTimeoutMs.Should().Be(0);
        config.RetryDelayMaxMs.Should().Be(60_000);
        config.LogEnable.Should().BeFalse();
        config.DeadLetterQueueTopic.Should().BeEmpty();
        config.DeadLetterQueueReplicationFactor.Should().Be(3);
        config.DeadLetterQueueContextHeaders.Should().BeFalse();
        config.ErrantRecordReporterEnabled.Should().BeFalse();
    }

    [Fact]
    public void Config_LogEnabledWithoutDlq_ErrantRecordReporterEnabled()
    {
        ErrorHandlingConfig.Parse(new Dictionary<string, string> { ["errors.log.enable"] = "true" }).ErrantRecordReporterEnabled.Should().BeTrue();
    }

    [Fact]
    public void TryExecute_ToleranceNone_ThrowsToleranceExceededAndReportsNothing()
    {
        var (errors, reporter) = Create();

        var act = () => errors.TryExecute(ErrorStage.ValueConverter, Record(), () => throw new DataException("bad"));

        act.Should().Throw<ConnectException>().WithMessage("Tolerance exceeded in error handler\nExecuting stage 'VALUE_CONVERTER' with class '*', where consumed record is {topic='orders', partition=1, offset=7}.").WithInnerException<DataException>().WithMessage("bad");
        reporter.Reports.Should().BeEmpty();
    }

    [Fact]
    public void TryExecute_ToleranceAll_SkipsAndReportsStageAndClass()
    {
        var (errors, reporter) = Create(new() { ["errors.tolerance"] = "all" });

        var executed = errors.TryExecute(ErrorStage.ValueConverter, Record(), () => throw new DataException("bad"));

        executed.Should().BeFalse();
        var report = reporter.Reports.Should().ContainSingle().Subject;
        report.Stage.Should().Be("VALUE_CONVERTER");
        report.ExecutingClass.Should().Be("org.apache.kafka.connect.json.JsonConverter");
        report.Original.Offset.Should().Be(7);
        errors.TotalFailures.Should().Be(1);
    }

    [Fact]
    public void TryExecute_RetriableWithinTimeout_RetriedUntilSuccess()
    {
        var (errors, reporter) = Create(new() { ["errors.retry.timeout"] = "10000", ["errors.retry.delay.max.ms"] = "1" });
        var calls = 0;

        var executed = errors.TryExecute(ErrorStage.ValueConverter, Record(), () =>
        {
            if (++calls < 3)
            {
                throw new RetriableException("later");
            }
        });

        executed.Should().BeTrue();
        calls.Should().Be(3);
        reporter.Reports.Should().BeEmpty();
    }

    [Fact]
    public void TryExecute_RetriableExhaustedToleranceNone_FailsInsteadOfDropping()
    {
        var (errors, _) = Create();
        var calls = 0;

        var act = () => errors.TryExecute(ErrorStage.ValueConverter, Record(), () =>
        {
            calls++;
            throw new RetriableException("still down");
        });

        act.Should().Throw<ConnectException>().WithMessage("Tolerance exceeded in error handler\n*");
        calls.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteFailed_ToleranceAll_ReportsTaskPutAndAwaitBlocksUntilWritten()
    {
        var (errors, reporter) = Create(new() { ["errors.tolerance"] = "all" });
        reporter.Gate = new TaskCompletionSource();

        var report = errors.ExecuteFailed(Record(), new DataException("rejected by target"));
        var awaiting = Task.Run(() => errors.AwaitReports([new TopicPartition("orders", 1)]), TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);

        awaiting.IsCompleted.Should().BeFalse();
        reporter.Gate.SetResult();
        await awaiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        report.IsCompletedSuccessfully.Should().BeTrue();
        reporter.Reports.Should().ContainSingle().Which.Stage.Should().Be("TASK_PUT");
        reporter.Reports[0].ExecutingClass.Should().Be("org.apache.kafka.connect.sink.SinkTask");
    }

    [Fact]
    public void ExecuteFailed_ToleranceNone_ReportsThenThrowsAndRemembers()
    {
        var (errors, reporter) = Create(new() { ["errors.deadletterqueue.topic.name"] = "dlq" });

        Action act = () => errors.ExecuteFailed(Record(), new DataException("rejected"));

        act.Should().Throw<ConnectException>().WithMessage("Tolerance exceeded in error handler\n*");
        reporter.Reports.Should().ContainSingle();
        errors.Invoking(e => e.ThrowIfToleranceExceeded()).Should().Throw<ConnectException>();
    }

    [Fact]
    public void ContextHeaders_Failure_ExactConnectHeaders()
    {
        var headers = new Confluent.Kafka.Headers();
        var error = new DataException("Converting byte[] to Kafka Connect data failed");
        var context = new ErrorContext(TaskId, Record(), ErrorStage.ValueConverter, "org.apache.kafka.connect.json.JsonConverter", error);

        DeadLetterQueueReporter.AddContextHeaders(headers, context);

        headers.Select(h => h.Key).Should().Equal(
            "__connect.errors.topic", "__connect.errors.partition", "__connect.errors.offset", "__connect.errors.connector.name",
            "__connect.errors.task.id", "__connect.errors.stage", "__connect.errors.class.name", "__connect.errors.exception.class.name",
            "__connect.errors.exception.message", "__connect.errors.exception.stacktrace");
        string Value(string key) => Encoding.UTF8.GetString(headers.GetLastBytes(key));
        Value("__connect.errors.topic").Should().Be("orders");
        Value("__connect.errors.partition").Should().Be("1");
        Value("__connect.errors.offset").Should().Be("7");
        Value("__connect.errors.connector.name").Should().Be("orders-sink");
        Value("__connect.errors.task.id").Should().Be("2");
        Value("__connect.errors.stage").Should().Be("VALUE_CONVERTER");
        Value("__connect.errors.class.name").Should().Be("org.apache.kafka.connect.json.JsonConverter");
        Value("__connect.errors.exception.class.name").Should().Be("org.apache.kafka.connect.errors.DataException");
        Value("__connect.errors.exception.message").Should().Be("Converting byte[] to Kafka Connect data failed");
        Value("__connect.errors.exception.stacktrace").Should().StartWith("org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed");
    }

    private sealed class RecordingReporter : IErrorReporter
    {
        public List<ErrorContext> Reports { get; } = [];

        public TaskCompletionSource? Gate { get; set; }

        public Task ReportAsync(ErrorContext context)
        {
            Reports.Add(context);
            return Gate?.Task ?? Task.CompletedTask;
        }

        public void Dispose()
        {
        }
    }
}
