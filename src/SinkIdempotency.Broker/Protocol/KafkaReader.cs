using System.Buffers.Binary;
using System.Text;

namespace SinkIdempotency.Broker.Protocol;

/// <summary>
/// Reads Kafka protocol primitives (big-endian ints, classic and compact strings, bytes, arrays,
/// varints and tagged fields) from one request body.
/// </summary>
/// <remarks>
/// Every length read from the wire is checked against the bytes that remain, so a hostile frame can
/// neither read past its end nor make the broker allocate more than the frame's own size.
/// </remarks>
internal ref struct KafkaReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly ReadOnlyMemory<byte> _memory;
    private int _position;

    public KafkaReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _memory = default;
        _position = 0;
    }

    /// <summary>Reads from memory, so that <see cref="ReadBytesAsMemory"/> can hand out slices without copying.</summary>
    public KafkaReader(ReadOnlyMemory<byte> buffer)
    {
        _buffer = buffer.Span;
        _memory = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool End => _position >= _buffer.Length;

    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    public bool ReadBoolean() => Take(1)[0] != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public Guid ReadUuid() => new(Take(16), bigEndian: true);

    public uint ReadUnsignedVarInt()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(1)[0];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new ProtocolException("unsigned varint longer than 5 bytes");
    }

    public int ReadVarInt()
    {
        var raw = ReadUnsignedVarInt();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    public long ReadVarLong()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Take(1)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)(value >> 1) ^ -(long)(value & 1);
            }
        }

        throw new ProtocolException("varlong longer than 10 bytes");
    }

    /// <summary>Reads a classic (int16 length) non-null string; a null on the wire becomes empty.</summary>
    public string ReadString() => ReadNullableString() ?? string.Empty;

    public string? ReadNullableString()
    {
        int length = ReadInt16();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public string ReadCompactString() => ReadCompactNullableString() ?? string.Empty;

    public string? ReadCompactNullableString()
    {
        var lengthPlusOne = ReadUnsignedVarInt();
        return lengthPlusOne == 0 ? null : Encoding.UTF8.GetString(Take(ToLength(lengthPlusOne - 1)));
    }

    /// <summary>Reads a classic (int32 length) byte field; -1 is null.</summary>
    public ReadOnlySpan<byte> ReadBytes(out bool isNull)
    {
        var length = ReadInt32();
        isNull = length < 0;
        return isNull ? [] : Take(length);
    }

    /// <summary>Reads a classic byte field as a slice of the memory this reader was created over; null when -1.</summary>
    /// <exception cref="InvalidOperationException">The reader was created over a span, not memory.</exception>
    public ReadOnlyMemory<byte>? ReadBytesAsMemory()
    {
        var span = ReadBytes(out var isNull);
        if (isNull)
        {
            return null;
        }

        if (_memory.Length != _buffer.Length)
        {
            throw new InvalidOperationException("ReadBytesAsMemory needs a KafkaReader created over memory.");
        }

        return _memory.Slice(_position - span.Length, span.Length);
    }

    public byte[]? ReadNullableBytes()
    {
        var span = ReadBytes(out var isNull);
        return isNull ? null : span.ToArray();
    }

    public ReadOnlySpan<byte> ReadCompactBytes(out bool isNull)
    {
        var lengthPlusOne = ReadUnsignedVarInt();
        isNull = lengthPlusOne == 0;
        return isNull ? [] : Take(ToLength(lengthPlusOne - 1));
    }

    /// <summary>Reads a classic array length (int32; -1 is null, returned as -1).</summary>
    /// <param name="minElementSize">The smallest encoded size of one element, used to reject counts the frame cannot hold.</param>
    public int ReadArrayLength(int minElementSize = 1)
    {
        var count = ReadInt32();
        CheckCount(count, minElementSize);
        return count;
    }

    /// <summary>Reads a compact array length (uvarint count+1; 0 is null, returned as -1).</summary>
    public int ReadCompactArrayLength(int minElementSize = 1)
    {
        var count = ToLength(ReadUnsignedVarInt()) - 1;
        CheckCount(count, minElementSize);
        return count;
    }

    /// <summary>Skips a tagged-fields section (flexible versions); unknown tags are ignored as Kafka does.</summary>
    public void SkipTaggedFields()
    {
        var count = ReadUnsignedVarInt();
        for (var i = 0u; i < count; i++)
        {
            _ = ReadUnsignedVarInt();
            var size = ToLength(ReadUnsignedVarInt());
            _ = Take(size);
        }
    }

    public ReadOnlySpan<byte> ReadRaw(int length) => Take(length);

    /// <summary>Reads a non-null string in the encoding of the version: compact when <paramref name="flexible"/>, classic otherwise.</summary>
    public string ReadString(bool flexible) => flexible ? ReadCompactString() : ReadString();

    /// <summary>Reads a nullable string in the encoding of the version.</summary>
    public string? ReadNullableString(bool flexible) => flexible ? ReadCompactNullableString() : ReadNullableString();

    /// <summary>Reads an array length in the encoding of the version (-1 is null).</summary>
    public int ReadArrayLength(bool flexible, int minElementSize) =>
        flexible ? ReadCompactArrayLength(minElementSize) : ReadArrayLength(minElementSize);

    /// <summary>Reads the closing ValidateOnly flag of an admin request and, when flexible, its final tagged fields.</summary>
    public bool ReadValidateOnly(bool flexible)
    {
        var validateOnly = ReadBoolean();
        SkipTaggedFields(flexible);
        return validateOnly;
    }

    /// <summary>Skips a tagged-fields section when the version is flexible; classic versions have none.</summary>
    public void SkipTaggedFields(bool flexible)
    {
        if (flexible)
        {
            SkipTaggedFields();
        }
    }

    // A varint length beyond int.MaxValue is malformed input, reported like every other framing error.
    private static int ToLength(uint value) =>
        value <= int.MaxValue ? (int)value : throw new ProtocolException($"length {value} exceeds the largest frame");

    private readonly void CheckCount(int count, int minElementSize)
    {
        if (count < -1)
        {
            throw new ProtocolException($"negative array length {count}");
        }

        if (count > 0 && (long)count * Math.Max(minElementSize, 1) > Remaining)
        {
            throw new ProtocolException($"array length {count} exceeds the {Remaining} bytes left in the frame");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _buffer.Length - _position)
        {
            throw new ProtocolException($"field of {count} bytes at position {_position} runs past the end of a {_buffer.Length}-byte frame");
        }

        var span = _buffer.Slice(_position, count);
        _position += count;
        return span;
    }
}
