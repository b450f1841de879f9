using FluentAssertions;
using SinkIdempotency.Targets.ObjectStore;

namespace SinkIdempotency.Tests.Targets.ObjectStore;

public sealed class S3ObjectNameTests
{
    [Fact]
    public void TryParse_DefaultPartitionerKey_ReadsFolderTopicPartitionStartOffsetAndExtension()
    {
        S3ObjectName.TryParse("topics/orders.v1/partition=12/orders.v1+12+0000004200.json", out var name).Should().BeTrue();

        name.Should().Be(new S3ObjectName("topics", "orders.v1", 12, 4200, "json"));
    }

    [Fact]
    public void TryParse_TopicsDirectoryWithSlashes_KeepsTheWholeFolder()
    {
        S3ObjectName.TryParse("runs/si_1a2b_x/si-1a2b-x/partition=0/si-1a2b-x+0+0000000000.json", out var name).Should().BeTrue();

        name.TopicsDirectory.Should().Be("runs/si_1a2b_x");
        name.Topic.Should().Be("si-1a2b-x");
    }

    [Theory]
    [InlineData("topics/orders/partition=1/orders+0+0000000000.json")] // the folder's partition is not the file's
    [InlineData("topics/payments/partition=0/orders+0+0000000000.json")] // the folder's topic is not the file's
    [InlineData("topics/orders/partition=0/orders+0+00000000x0.json")]
    [InlineData("topics/orders/partition=0/orders+0+0000000000")]
    [InlineData("topics/orders/partition=0/orders+0+0000000000.")]
    [InlineData("topics/orders/partition=0/")]
    [InlineData("orders/partition=0/orders+0+0000000000.json")] // no topics folder
    [InlineData("topics/orders/dt=2024-01-01/orders+0+0000000000.json")] // a time-based partitioner's folder
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_KeyNotOfTheDefaultPartitionersShape_IsFalse(string? key) =>
        S3ObjectName.TryParse(key, out _).Should().BeFalse();

    [Fact]
    public void ToKey_PadsTheStartOffsetAndParsesBack()
    {
        var name = new S3ObjectName("topics", "orders", 3, 17, "json");

        name.ToKey().Should().Be("topics/orders/partition=3/orders+3+0000000017.json");
        name.ToKey(padWidth: 4).Should().Be("topics/orders/partition=3/orders+3+0017.json");
        S3ObjectName.TryParse(name.ToKey(), out var parsed).Should().BeTrue();
        parsed.Should().Be(name);
    }
}
