using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Scenarios;

public sealed class TaskFailureTests
{
    private const string Trace = "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\n"
        + "Executing stage 'KEY_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='t', partition=2, offset=0}.\n"
        + "\tat SinkIdempotency.Worker.Runtime.WorkerSinkTask.ConvertMessages()\n"
        + "\tat SinkIdempotency.Worker.Runtime.WorkerSinkTask.Poll()\n"
        + "Caused by: org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed due to serialization error: \n"
        + "\tat SinkIdempotency.Worker.Converters.JsonConverter.ToConnectData()\n"
        + "Caused by: System.Text.Json.JsonReaderException: 'k' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.\n"
        + "\tat System.Text.Json.ThrowHelper.ThrowJsonReaderException()";

    [Fact]
    public void Headlines_JavaStyleTrace_AreTheMessageLinesWithoutFrames()
    {
        var failure = new TaskFailure { Task = 0, At = DateTimeOffset.UnixEpoch, Trace = Trace };

        failure.FirstLine.Should().Be("org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler");
        failure.Headlines.Should().Equal(
            "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler",
            "Executing stage 'KEY_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='t', partition=2, offset=0}.",
            "Caused by: org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed due to serialization error: ",
            "Caused by: System.Text.Json.JsonReaderException: 'k' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.");
        failure.RootCause.Should().Be("System.Text.Json.JsonReaderException: 'k' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.");
        failure.Summary.Should().Be("task 0 failed: org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler; caused by System.Text.Json.JsonReaderException: 'k' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.");
    }

    [Fact]
    public void Headlines_LongCauseChain_KeepTheFirstLineAndTheDeepestCauses()
    {
        var trace = "A: top\n" + string.Join("\n", Enumerable.Range(1, 9).Select(i => $"Caused by: C{i}: cause {i}\n\tat frame"));
        var failure = new TaskFailure { Task = 1, At = DateTimeOffset.UnixEpoch, Trace = trace };

        failure.Headlines.Should().HaveCount(TaskFailure.MaxHeadlines).And.StartWith("A: top").And.EndWith("Caused by: C9: cause 9");
        failure.Headlines[1].Should().Be("Caused by: C5: cause 5");
    }

    [Fact]
    public void RootCause_TraceWithoutCause_IsNull()
    {
        var failure = new TaskFailure { Task = 0, At = DateTimeOffset.UnixEpoch, Trace = "java.lang.IllegalStateException: boom\n\tat x" };

        failure.RootCause.Should().BeNull();
        failure.Summary.Should().Be("task 0 failed: java.lang.IllegalStateException: boom");
    }

    [Theory]
    [InlineData("org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded", "ConnectException: Tolerance exceeded")]
    [InlineData("System.Text.Json.JsonReaderException: 'k' is invalid", "JsonReaderException: 'k' is invalid")]
    [InlineData("Plain message: with a colon", "Plain message: with a colon")]
    [InlineData("java.lang.OutOfMemoryError", "OutOfMemoryError")]
    [InlineData("no class here", "no class here")]
    public void ShortenClassName_Line_KeepsTheSimpleName(string line, string expected) =>
        TaskFailure.ShortenClassName(line).Should().Be(expected);
}
