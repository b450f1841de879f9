using System.Buffers.Binary;
using System.Numerics;

namespace SinkIdempotency.Broker.Log;

/// <summary>Computes CRC-32C (Castagnoli), the checksum of Kafka record batches (magic 2).</summary>
internal static class Crc32C
{
    /// <summary>Returns the CRC-32C of <paramref name="data"/> (check value: "123456789" → 0xE3069283).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        // BitOperations.Crc32C is one accumulate step (the SSE4.2 / ARMv8 instruction); the standard
        // pre- and post-inversion are the caller's job.
        var crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
