using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SinkIdempotency.Broker.Protocol;

/// <summary>
/// Writes Kafka protocol primitives into a growable buffer, with a reserved 4-byte size prefix
/// that <see cref="CompleteFrame"/> fills in.
/// </summary>
internal sealed class KafkaWriter : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _length;

    public KafkaWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(initialCapacity, 16)];
    }

    public int Length => _length;

    public int Capacity => _buffer.Length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Reserves the 4-byte frame size; call first, then write the header and body.</summary>
    public void BeginFrame() => WriteInt32(0);

    /// <summary>Fills in the frame size reserved by <see cref="BeginFrame"/>.</summary>
    public void CompleteFrame() => BinaryPrimitives.WriteInt32BigEndian(_buffer, _length - 4);

    public void WriteInt8(sbyte value) => Grow(1)[0] = (byte)value;

    public void WriteBoolean(bool value) => Grow(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Grow(2), value);

    public void WriteInt16(ErrorCode value) => WriteInt16((short)value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Grow(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Grow(8), value);

    public void WriteUuid(Guid value) => value.TryWriteBytes(Grow(16), bigEndian: true, out _);

    public void WriteUnsignedVarInt(uint value)
    {
        while (value >= 0x80)
        {
            Grow(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }

        Grow(1)[0] = (byte)value;
    }

    public void WriteVarInt(int value) => WriteUnsignedVarInt((uint)((value << 1) ^ (value >> 31)));

    public void WriteVarLong(long value)
    {
        var zigzag = (ulong)((value << 1) ^ (value >> 63));
        while (zigzag >= 0x80)
        {
            Grow(1)[0] = (byte)(zigzag | 0x80);
            zigzag >>= 7;
        }

        Grow(1)[0] = (byte)zigzag;
    }

    /// <summary>Writes a classic string (int16 length); null is written as -1.</summary>
    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteInt16(-1);
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteInt16(checked((short)byteCount));
        Encoding.UTF8.GetBytes(value, Grow(byteCount));
    }

    /// <summary>Writes a classic non-null string; null becomes empty, never -1 (clients reject -1 there).</summary>
    public void WriteString(string? value) => WriteNullableString(value ?? string.Empty);

    public void WriteCompactNullableString(string? value)
    {
        if (value is null)
        {
            WriteUnsignedVarInt(0);
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteUnsignedVarInt((uint)byteCount + 1);
        Encoding.UTF8.GetBytes(value, Grow(byteCount));
    }

    public void WriteCompactString(string? value) => WriteCompactNullableString(value ?? string.Empty);

    /// <summary>Writes a classic byte field (int32 length).</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        value.CopyTo(Grow(value.Length));
    }

    public void WriteNullableBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteBytes(value);
    }

    public void WriteCompactBytes(ReadOnlySpan<byte> value)
    {
        WriteUnsignedVarInt((uint)value.Length + 1);
        value.CopyTo(Grow(value.Length));
    }

    public void WriteArrayLength(int count) => WriteInt32(count);

    public void WriteCompactArrayLength(int count) => WriteUnsignedVarInt(count < 0 ? 0 : (uint)count + 1);

    /// <summary>Writes an empty tagged-fields section.</summary>
    public void WriteEmptyTaggedFields() => WriteUnsignedVarInt(0);

    public void WriteRaw(ReadOnlySpan<byte> value) => value.CopyTo(Grow(value.Length));

    /// <summary>Writes a non-null string in the encoding of the version: compact when <paramref name="flexible"/>, classic otherwise.</summary>
    public void WriteString(string? value, bool flexible)
    {
        if (flexible)
        {
            WriteCompactString(value);
        }
        else
        {
            WriteString(value);
        }
    }

    /// <summary>Writes a nullable string in the encoding of the version.</summary>
    public void WriteNullableString(string? value, bool flexible)
    {
        if (flexible)
        {
            WriteCompactNullableString(value);
        }
        else
        {
            WriteNullableString(value);
        }
    }

    /// <summary>Writes an array length in the encoding of the version.</summary>
    public void WriteArrayLength(int count, bool flexible)
    {
        if (flexible)
        {
            WriteCompactArrayLength(count);
        }
        else
        {
            WriteArrayLength(count);
        }
    }

    /// <summary>Writes an empty tagged-fields section when the version is flexible; classic versions have none.</summary>
    public void WriteTaggedFields(bool flexible)
    {
        if (flexible)
        {
            WriteEmptyTaggedFields();
        }
    }

    /// <summary>Overwrites 4 bytes at <paramref name="offset"/>, e.g. a length written after its content.</summary>
    public void PatchInt32(int offset, int value) => BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(offset, 4), value);

    /// <summary>Makes room for <paramref name="count"/> more bytes at once (avoids repeated doubling for large responses).</summary>
    public void Reserve(int count) => EnsureCapacity(count);

    public void Reset() => _length = 0;

    void IBufferWriter<byte>.Advance(int count) => _length += count;

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_length);
    }

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_length);
    }

    private Span<byte> Grow(int count)
    {
        EnsureCapacity(count);
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void EnsureCapacity(int count)
    {
        if (_length + count <= _buffer.Length)
        {
            return;
        }

        var size = Math.Max(_buffer.Length * 2, _length + count);
        Array.Resize(ref _buffer, size);
    }
}
