using System.Text;
using SinkIdempotency.Proxy;
using static SinkIdempotency.Tests.Proxy.GateTrigger;

namespace SinkIdempotency.Tests.Proxy;

/// <summary>Feeds <see cref="MySqlReplyGate"/> conversations shaped like MySqlConnector's and Connector/J's, with and without <c>CLIENT_DEPRECATE_EOF</c>, in every chunking, and checks which bytes pass and which OK is withheld.</summary>
public sealed class MySqlReplyGateTests
{
    private const ushort InTransaction = 0x0001;
    private const ushort Autocommit = 0x0002;
    private const uint DeprecateEof = 0x01000000;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnServerBytes_CommitAfterWritesWithAResultSetBetween_WithholdsExactlyTheCommitOk(bool deprecateEof)
    {
        var before = Concat(
            Ok(0, InTransaction),
            Ok(1, InTransaction),
            ResultSet(deprecateEof, InTransaction, [[0x00], [0x00, 0xFE], [0x03, (byte)'a', (byte)'b', (byte)'c']]));
        var commit = Ok(0, Autocommit);
        var stream = Concat(before, commit);

        for (var split = 0; split <= stream.Length; split++)
        {
            var (forwarded, reply, claims) = Run(Connected(deprecateEof), [Query("START TRANSACTION"), Query("INSERT INTO t VALUES (1)"), Query("SELECT name FROM t"), Query("/* c */ COMMIT")], stream, split);

            forwarded.Should().Equal(before, $"split at {split}: rows starting 0x00 or 0xFE are rows, and only the commit's OK is withheld");
            reply.Should().Be("OK packet answering a COMMIT that ended a transaction that wrote");
            claims.Should().Be(1);
        }
    }

    [Theory]
    [InlineData(true, 7u)]
    [InlineData(false, 7u)]
    [InlineData(true, uint.MaxValue)]
    public void OnServerBytes_PreparedAutocommitInsertPipelinedBehindItsPrepare_WithholdsTheExecuteOk(bool deprecateEof, uint executedId)
    {
        var prepare = Concat(
            Packet(1, [0x00, 7, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0]),
            Packet(2, ColumnDefinition("?")),
            Packet(3, ColumnDefinition("?")),
            deprecateEof ? [] : Eof(4, Autocommit));
        var execute = Ok(1, Autocommit);
        var stream = Concat(prepare, execute);

        for (var split = 0; split <= stream.Length; split++)
        {
            var (forwarded, reply, _) = Run(Connected(deprecateEof), [PrepareCommand("INSERT INTO t VALUES (?, ?)"), Execute(executedId)], stream, split);

            forwarded.Should().Equal(prepare, $"split at {split}");
            reply.Should().Be("OK packet answering an autocommitted write (1 row(s) affected)");
        }
    }

    [Fact]
    public void OnServerBytes_RollbackReadOnlyAndFailedWrite_PassAndNothingIsClaimed()
    {
        var client = new[] { Query("BEGIN"), Query("UPDATE t SET a = 1"), Query("ROLLBACK"), Query("SELECT 1"), Query("INSERT INTO t VALUES (1)"), Query("UPDATE t SET a = 2 WHERE 0") };
        var stream = Concat(
            Ok(0, InTransaction), Ok(3, InTransaction), Ok(0, Autocommit),
            ResultSet(true, Autocommit, [[0x01, (byte)'1']]),
            Packet(1, [0xFF, 0x26, 0x04, .. "#23000Duplicate entry"u8]),
            Ok(0, Autocommit));

        var (forwarded, reply, claims) = Run(Connected(true), client, stream, stream.Length / 2);

        forwarded.Should().Equal(stream);
        reply.Should().BeNull("a rollback, a read, a refused write and a write that changed no row make nothing durable");
        claims.Should().Be(0);
    }

    [Fact]
    public void OnServerBytes_Unarmed_ForwardsEveryChunkWhole()
    {
        var gate = Connected(true);
        var trigger = new GateTrigger();
        trigger.Disarm();
        gate.OnClientBytes(Query("INSERT INTO t VALUES (1)"));
        var ok = Ok(1, Autocommit);

        var first = gate.OnServerBytes(ok[..3], trigger);
        var second = gate.OnServerBytes(ok[3..], trigger);

        Forwarded(first, ok[..3]).Concat(Forwarded(second, ok[3..])).Should().Equal(ok, "an unarmed gate holds nothing back, not even half a packet");
        trigger.Claims.Should().Be(0);
    }

    [Fact]
    public void OnServerBytes_TlsNegotiated_IsOpaqueAndPassesEverything()
    {
        var gate = new MySqlReplyGate();
        var trigger = new GateTrigger();
        _ = gate.OnServerBytes(Greeting(0x0800), trigger);
        gate.OnClientBytes(Packet(1, [0x00, 0x08, 0x00, 0x00, 0, 0, 0, 1]));
        var ok = Ok(1, Autocommit);

        Forwarded(gate.OnServerBytes(ok, trigger), ok).Should().Equal(ok);
        trigger.Claims.Should().Be(0);
    }

    private static MySqlReplyGate Connected(bool deprecateEof)
    {
        var gate = new MySqlReplyGate();
        var trigger = new GateTrigger();
        trigger.Disarm();
        var capabilities = 0x000FA20F | (deprecateEof ? DeprecateEof : 0);
        _ = gate.OnServerBytes(Greeting(capabilities), trigger);
        gate.OnClientBytes(Packet(1, [(byte)capabilities, (byte)(capabilities >> 8), (byte)(capabilities >> 16), (byte)(capabilities >> 24), 0, 0, 0, 1, 33]));
        _ = gate.OnServerBytes(Packet(2, [0x00, 0, 0, 2, 0, 0, 0]), trigger);
        return gate;
    }

    private static (byte[] Forwarded, string? Reply, int Claims) Run(MySqlReplyGate gate, byte[][] commands, byte[] stream, int split)
    {
        gate.OnClientBytes(Concat(commands));
        var trigger = new GateTrigger();
        var forwarded = new List<byte>();
        string? reply = null;
        foreach (var chunk in new[] { stream[..split], stream[split..] })
        {
            if (reply is not null || chunk.Length == 0)
            {
                continue;
            }

            var result = gate.OnServerBytes(chunk, trigger);
            forwarded.AddRange(Forwarded(result, chunk));
            reply = result.WithheldReply;
        }

        return ([.. forwarded], reply, trigger.Claims);
    }

    private static byte[] Greeting(uint capabilities) => Packet(0, [
        10, .. "10.11.6-MariaDB"u8, 0,
        1, 0, 0, 0,
        1, 2, 3, 4, 5, 6, 7, 8, 0,
        (byte)capabilities, (byte)(capabilities >> 8),
        33, 2, 0,
        (byte)(capabilities >> 16), (byte)(capabilities >> 24),
        21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

    private static byte[] Query(string sql) => Packet(0, [0x03, .. Encoding.UTF8.GetBytes(sql)]);

    private static byte[] PrepareCommand(string sql) => Packet(0, [0x16, .. Encoding.UTF8.GetBytes(sql)]);

    private static byte[] Execute(uint statement) => Packet(0, [0x17, (byte)statement, (byte)(statement >> 8), (byte)(statement >> 16), (byte)(statement >> 24), 0, 1, 0, 0, 0]);

    private static byte[] Ok(byte affected, ushort status, byte sequence = 1) => Packet(sequence, [0x00, affected, 0, (byte)status, (byte)(status >> 8), 0, 0]);

    private static byte[] Eof(byte sequence, ushort status) => Packet(sequence, [0xFE, 0, 0, (byte)status, (byte)(status >> 8)]);

    private static byte[] ColumnDefinition(string name) =>
        [.. "\u0003def"u8, 0, 0, 0, (byte)name.Length, .. Encoding.UTF8.GetBytes(name), 0, 0x0C, 33, 0, 0, 0, 0, 0xFD, 0, 0, 0, 0, 0];

    // A one-column result set: column count, its definition, (EOF), the rows, and the terminator (EOF, or an OK with a 0xFE header).
    private static byte[] ResultSet(bool deprecateEof, ushort status, byte[][] rows)
    {
        var packets = new List<byte[]>();
        byte sequence = 1;
        packets.Add(Packet(sequence++, [1]));
        packets.Add(Packet(sequence++, ColumnDefinition("name")));
        if (!deprecateEof)
        {
            packets.Add(Eof(sequence++, status));
        }

        foreach (var row in rows)
        {
            packets.Add(Packet(sequence++, row));
        }

        packets.Add(deprecateEof ? Packet(sequence, [0xFE, 0, 0, (byte)status, (byte)(status >> 8), 0, 0]) : Eof(sequence, status));
        return Concat([.. packets]);
    }

    private static byte[] Packet(byte sequence, byte[] payload) =>
        [(byte)payload.Length, (byte)(payload.Length >> 8), (byte)(payload.Length >> 16), sequence, .. payload];

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
