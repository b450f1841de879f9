using SinkIdempotency.Proxy;
using static SinkIdempotency.Tests.Proxy.GateTrigger;
using static SinkIdempotency.Tests.Proxy.PostgreSqlWire;

namespace SinkIdempotency.Tests.Proxy;

/// <summary>Feeds <see cref="PostgreSqlReplyGate"/> server replies shaped like Npgsql's and pgjdbc's conversations, in every chunking, and checks which bytes pass and which reply is withheld.</summary>
public sealed class PostgreSqlReplyGateTests
{
    // pgjdbc with autocommit off: BEGIN goes out ahead of the batch, then the prepared insert (BindComplete +
    // CommandComplete per row) and one Sync; the commit is its own round trip, a prepared statement after a few uses.
    private static readonly byte[] TransactionBatch = Concat(
        ParseComplete, BindComplete, CommandComplete("BEGIN"),
        BindComplete, CommandComplete("INSERT 0 1"),
        BindComplete, CommandComplete("INSERT 0 1"),
        ReadyForQuery('T'));

    private static readonly byte[] CommitRoundTrip = Concat(BindComplete, CommandComplete("COMMIT"), ReadyForQuery('I'));

    // pgjdbc with autocommit on: the batch's rows share one implicit transaction, committed at the Sync.
    private static readonly byte[] AutocommitBatch = Concat(
        BindComplete, CommandComplete("INSERT 0 1"),
        BindComplete, CommandComplete("INSERT 0 1"),
        ReadyForQuery('I'));

    [Fact]
    public void OnServerBytes_CommitEndingAWritingTransaction_WithholdsFromItsCommandComplete()
    {
        var gate = StartedGate();
        var trigger = new GateTrigger();
        Pass(gate, TransactionBatch, trigger).Should().Equal(TransactionBatch, "writes inside a transaction block are not durable yet");

        var result = gate.OnServerBytes(CommitRoundTrip, trigger);

        Forwarded(result, CommitRoundTrip).Should().Equal(BindComplete, "what the server sent before the durable reply still reaches the client");
        result.WithheldReply.Should().Be("CommandComplete \"COMMIT\" ending a transaction that wrote");
        result.WithheldBytes.Should().Be(CommitRoundTrip.Length - BindComplete.Length);
        trigger.Claims.Should().Be(1);
    }

    [Fact]
    public void OnServerBytes_AutocommitBatch_WithholdsFromTheFirstWriteOnceReadyForQuerySaysIdle()
    {
        var gate = StartedGate();
        var trigger = new GateTrigger();

        var result = gate.OnServerBytes(AutocommitBatch, trigger);

        Forwarded(result, AutocommitBatch).Should().Equal(BindComplete);
        result.WithheldReply.Should().Be("2 CommandCompletes (\"INSERT 0 1\" … \"INSERT 0 1\") of one autocommitted implicit transaction (ReadyForQuery 'I' followed)");
        trigger.Claims.Should().Be(1);
    }

    [Fact]
    public void OnServerBytes_SingleAutocommittedUpdate_NamesIt()
    {
        var gate = StartedGate();
        var stream = Concat(ParseComplete, BindComplete, CommandComplete("UPDATE 4"), ReadyForQuery('I'));

        var result = gate.OnServerBytes(stream, new GateTrigger());

        result.WithheldReply.Should().Be("CommandComplete \"UPDATE 4\" outside a transaction block, autocommitted (ReadyForQuery 'I' followed)");
        Forwarded(result, stream).Should().Equal(Concat(ParseComplete, BindComplete));
    }

    [Theory]
    [InlineData("COPY 12")]
    [InlineData("DELETE 1")]
    [InlineData("MERGE 3")]
    [InlineData("INSERT 0 0")]
    public void OnServerBytes_OtherAutocommittedWrites_AreDurableReplies(string tag)
    {
        var gate = StartedGate();

        var result = gate.OnServerBytes(Concat(CommandComplete(tag), ReadyForQuery('I')), new GateTrigger());

        result.WithheldReply.Should().Contain($"\"{tag}\"").And.Contain("autocommitted");
    }

    [Fact]
    public void OnServerBytes_CommitOfAReadOnlyTransaction_PassesAndStaysArmed()
    {
        var gate = StartedGate();
        var trigger = new GateTrigger();
        var readOnly = Concat(CommandComplete("BEGIN"), DataRow(8), CommandComplete("SELECT 1"), ReadyForQuery('T'), CommandComplete("COMMIT"), ReadyForQuery('I'));

        Pass(gate, readOnly, trigger).Should().Equal(readOnly, "a commit that made nothing durable is not the reply the fault withholds");

        trigger.Claims.Should().Be(0);
        trigger.IsArmed.Should().BeTrue();
        gate.OnServerBytes(AutocommitBatch, trigger).WithheldReply.Should().NotBeNull("the next durable write is");
    }

    [Fact]
    public void OnServerBytes_ImplicitTransactionRolledBackByAnError_Passes()
    {
        var gate = StartedGate();
        var trigger = new GateTrigger();
        var failed = Concat(BindComplete, CommandComplete("INSERT 0 1"), Error, ReadyForQuery('I'));

        Pass(gate, failed, trigger).Should().Equal(failed, "an error in the implicit transaction rolled the insert back");

        trigger.Claims.Should().Be(0);
    }

    [Fact]
    public void OnServerBytes_WriteThenBeginInOneImplicitBlock_PassesWhenReadyForQuerySaysInTransaction()
    {
        var gate = StartedGate();
        var trigger = new GateTrigger();
        var becameBlock = Concat(CommandComplete("INSERT 0 1"), CommandComplete("BEGIN"), CommandComplete("INSERT 0 1"), ReadyForQuery('T'));

        Pass(gate, becameBlock, trigger).Should().Equal(becameBlock);

        trigger.Claims.Should().Be(0);
        gate.HeldBytes.Should().Be(0);
    }

    [Fact]
    public void OnServerBytes_AutocommitCandidate_IsHeldUntilItsReadyForQuery()
    {
        var gate = StartedGate();
        var trigger = new GateTrigger();
        var write = Concat(BindComplete, CommandComplete("INSERT 0 1"));

        var first = gate.OnServerBytes(write, trigger);

        Forwarded(first, write).Should().Equal(BindComplete);
        gate.HeldBytes.Should().Be(CommandComplete("INSERT 0 1").Length, "the insert's reply waits for the status that tells whether it was autocommitted");
        trigger.Disarm();
        var second = gate.OnServerBytes(ReadyForQuery('I'), trigger);
        Forwarded(second, ReadyForQuery('I')).Should().Equal(Concat(CommandComplete("INSERT 0 1"), ReadyForQuery('I')), "a disarmed proxy passes what it held");
        second.WithheldReply.Should().BeNull();
    }

    [Fact]
    public void OnServerBytes_NotArmed_PassesEveryChunkWhole()
    {
        var gate = StartedGate();
        var trigger = new GateTrigger();
        trigger.Disarm();

        foreach (var chunk in new[] { TransactionBatch, CommitRoundTrip, AutocommitBatch })
        {
            gate.OnServerBytes(chunk, trigger).ForwardWholeChunk.Should().BeTrue();
        }

        trigger.Claims.Should().Be(0);
    }

    [Fact]
    public void OnServerBytes_HeldBytesBeyondTheLimit_ArePassedAndTheCandidateDropped()
    {
        var gate = new PostgreSqlReplyGate(maxHeldBytes: 64);
        gate.OnClientBytes(Concat(SslRequest, Startup));
        var trigger = new GateTrigger();
        Pass(gate, Handshake, trigger);
        var write = Concat(CommandComplete("INSERT 0 1"), DataRow(100));

        Pass(gate, write, trigger).Should().Equal(write, "holding more than the limit while waiting for the status is not worth the memory");
        Pass(gate, ReadyForQuery('I'), trigger).Should().Equal(ReadyForQuery('I'));

        trigger.Claims.Should().Be(0);
    }

    [Fact]
    public void OnServerBytes_ServerAcceptsTls_NeverTriggers()
    {
        var gate = new PostgreSqlReplyGate();
        gate.OnClientBytes(SslRequest);
        var trigger = new GateTrigger();
        var encrypted = Concat([(byte)'S'], CommitRoundTrip, AutocommitBatch);

        Pass(gate, encrypted, trigger).Should().Equal(encrypted);

        trigger.Claims.Should().Be(0);
    }

    [Fact]
    public void OnServerBytes_SslRefusedThenClearText_ReadsTheRefusalByteApart()
    {
        var gate = new PostgreSqlReplyGate();
        gate.OnClientBytes(SslRequest);
        var trigger = new GateTrigger();
        Pass(gate, [(byte)'N'], trigger);
        gate.OnClientBytes(Startup);

        Pass(gate, Concat(AuthenticationOk, ReadyForQuery('I')), trigger);

        gate.OnServerBytes(AutocommitBatch, trigger).WithheldReply.Should().NotBeNull();
    }

    [Fact]
    public void OnServerBytes_EveryTwoWaySplit_WithholdsExactlyFromTheCommitAndClaimsOnce()
    {
        var stream = Concat(Handshake, TransactionBatch, CommitRoundTrip);
        var expected = stream[..(stream.Length - CommitRoundTrip.Length + BindComplete.Length)];
        for (var split = 1; split < stream.Length; split++)
        {
            var (forwarded, reply, claims) = Run(stream, [split]);

            forwarded.Should().Equal(expected, $"split at byte {split}");
            reply.Should().Contain("COMMIT", $"split at byte {split}");
            claims.Should().Be(1);
        }
    }

    [Fact]
    public void OnServerBytes_EveryTwoWaySplitOfAnAutocommitBatch_WithholdsExactlyFromTheFirstWrite()
    {
        var stream = Concat(Handshake, AutocommitBatch);
        var expected = stream[..(Handshake.Length + BindComplete.Length)];
        for (var split = 1; split < stream.Length; split++)
        {
            var (forwarded, reply, _) = Run(stream, [split]);

            forwarded.Should().Equal(expected, $"split at byte {split}");
            reply.Should().Contain("autocommitted", $"split at byte {split}");
        }
    }

    [Fact]
    public void OnServerBytes_OneByteAtATime_GivesTheSameCut()
    {
        var stream = Concat(Handshake, TransactionBatch, CommitRoundTrip);

        var (forwarded, reply, claims) = Run(stream, [.. Enumerable.Range(1, stream.Length - 1)]);

        forwarded.Should().Equal(stream[..(stream.Length - CommitRoundTrip.Length + BindComplete.Length)]);
        reply.Should().Contain("COMMIT");
        claims.Should().Be(1);
    }

    [Fact]
    public void DescribeWithheld_Replies_NamesTheMessages()
    {
        var gate = StartedGate();

        gate.DescribeWithheld(AutocommitBatch).Should().Be("BindComplete, CommandComplete \"INSERT 0 1\", BindComplete, CommandComplete \"INSERT 0 1\" and 1 more message(s)");
        gate.DescribeWithheld(CommandComplete("COMMIT")[..3]).Should().Be("3 byte(s), part of one message");
    }

    private static PostgreSqlReplyGate StartedGate()
    {
        var gate = new PostgreSqlReplyGate();
        gate.OnClientBytes(Concat(SslRequest, Startup));
        var idle = new GateTrigger();
        idle.Disarm();
        gate.OnServerBytes(Handshake, idle);
        return gate;
    }

    // Feeds the stream in one chunk and returns what passed; fails if anything was withheld.
    private static byte[] Pass(PostgreSqlReplyGate gate, byte[] stream, GateTrigger trigger)
    {
        var result = gate.OnServerBytes(stream, trigger);
        result.WithheldReply.Should().BeNull();
        return Forwarded(result, stream);
    }

    private static (byte[] Forwarded, string? Reply, int Claims) Run(byte[] stream, int[] splits)
    {
        var gate = new PostgreSqlReplyGate();
        gate.OnClientBytes(Concat(SslRequest, Startup));
        var trigger = new GateTrigger();
        var forwarded = new List<byte>();
        string? reply = null;
        var from = 0;
        foreach (var to in splits.Append(stream.Length))
        {
            if (reply is not null)
            {
                break;
            }

            var chunk = stream[from..to];
            var result = gate.OnServerBytes(chunk, trigger);
            forwarded.AddRange(Forwarded(result, chunk));
            reply = result.WithheldReply;
            from = to;
        }

        return ([.. forwarded], reply, trigger.Claims);
    }
}
