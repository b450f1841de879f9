using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Sinks.Files;

namespace SinkIdempotency.Worker.Tests.Sinks.Files;

public sealed class FileObjectNamesTests
{
    [Fact]
    public void DeterministicObject_DefaultWidth_S3StyleKey()
    {
        FileObjectNames.DeterministicObject(new TopicPartition("orders", 3), 42, 10).Should().Be("orders+3+0000000042.jsonl");
    }

    [Fact]
    public void DeterministicObject_OffsetWiderThanPad_NotTruncated()
    {
        FileObjectNames.DeterministicObject(new TopicPartition("t", 0), 123456, 4).Should().Be("t+0+123456.jsonl");
    }

    [Fact]
    public void AppendFile_TopicPartition_OneFilePerPartition()
    {
        FileObjectNames.AppendFile(new TopicPartition("orders", 3)).Should().Be("orders+3.jsonl");
    }

    [Fact]
    public void Temporary_SameObject_UniqueHiddenNamesNotEndingInJsonl()
    {
        var a = FileObjectNames.Temporary("t+0+0000000000.jsonl");
        var b = FileObjectNames.Temporary("t+0+0000000000.jsonl");

        a.Should().NotBe(b).And.StartWith(".t+0+0000000000.jsonl.").And.EndWith(".tmp");
    }

    [Fact]
    public void Config_Defaults_AppendFlushSize100Pad10()
    {
        var config = FileSinkConfig.Parse(new Dictionary<string, string> { ["file.directory"] = "/tmp/x" });

        config.Mode.Should().Be(FileSinkMode.Append);
        config.FlushSize.Should().Be(100);
        config.OffsetPadWidth.Should().Be(10);
    }

    [Fact]
    public void Config_MissingDirectory_ThrowsNamingKey()
    {
        var act = () => FileSinkConfig.Parse(new Dictionary<string, string>());

        act.Should().Throw<ConfigException>().WithMessage("Missing required configuration \"file.directory\" which has no default value.");
    }
}
