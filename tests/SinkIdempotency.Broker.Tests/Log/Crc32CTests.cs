using System.Text;
using SinkIdempotency.Broker.Log;

namespace SinkIdempotency.Broker.Tests.Log;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_StandardCheckInput_ReturnsCastagnoliCheckValue() =>
        Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")).Should().Be(0xE3069283u);

    [Fact]
    public void Compute_Empty_ReturnsZero() => Crc32C.Compute([]).Should().Be(0u);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(1000)]
    public void Compute_AnyLength_MatchesBitwiseReference(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        Crc32C.Compute(data).Should().Be(Reference(data));
    }

    private static uint Reference(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
