using System.Buffers.Binary;
using System.Text;

namespace SinkIdempotency.Tests.Proxy;

/// <summary>Builds PostgreSQL protocol 3.0 messages byte by byte, as a server and a client send them, for the proxy's tests.</summary>
internal static class PostgreSqlWire
{
    public static byte[] SslRequest => Untyped(80877103, []);

    public static byte[] Startup => Untyped(196608, Encoding.ASCII.GetBytes("user\0postgres\0database\0postgres\0\0"));

    public static byte[] AuthenticationOk => Message('R', [0, 0, 0, 0]);

    public static byte[] ParseComplete => Message('1', []);

    public static byte[] BindComplete => Message('2', []);

    public static byte[] Error => Message('E', Encoding.ASCII.GetBytes("SERROR\0C23505\0Mduplicate key value\0\0"));

    public static byte[] CommandComplete(string tag) => Message('C', Encoding.ASCII.GetBytes(tag + "\0"));

    public static byte[] ReadyForQuery(char status) => Message('Z', [(byte)status]);

    public static byte[] ParameterStatus(string name, string value) => Message('S', Encoding.ASCII.GetBytes(name + "\0" + value + "\0"));

    public static byte[] DataRow(int bytes) => Message('D', new byte[bytes]);

    /// <summary>Gets what the server sends from a clear-text SSL refusal to the first ReadyForQuery.</summary>
    public static byte[] Handshake => Concat([(byte)'N'], AuthenticationOk, ParameterStatus("server_version", "15.8"), ReadyForQuery('I'));

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Message(char type, byte[] body)
    {
        var message = new byte[5 + body.Length];
        message[0] = (byte)type;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + body.Length);
        body.CopyTo(message, 5);
        return message;
    }

    private static byte[] Untyped(int code, byte[] body)
    {
        var message = new byte[8 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(message, message.Length);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), code);
        body.CopyTo(message, 8);
        return message;
    }
}
