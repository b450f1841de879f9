using SinkIdempotency.Faults;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Tests.Faults;

public sealed class TargetTimeoutEvidenceTests
{
    private static readonly TargetTimeoutOptions CommitResponse = new() { Mode = TargetTimeoutMode.CommitResponse };

    [Theory]
    [InlineData(TargetWireProtocol.PostgreSql, "CommandComplete for a COMMIT")]
    [InlineData(TargetWireProtocol.MySql, "the OK packet")]
    [InlineData(TargetWireProtocol.Http, "a final response with a 2xx status")]
    public void ArmDetail_CommitResponse_NamesTheReplyItsProtocolWithholds(TargetWireProtocol protocol, string reply)
    {
        TargetTimeout.ArmDetail(CommitResponse, protocol).Should().Contain(reply);
    }

    [Theory]
    [InlineData(TargetWireProtocol.MySql)]
    [InlineData(TargetWireProtocol.Http)]
    public void ArmDetail_CommitResponseBeyondPostgreSql_NamesNoPostgreSqlMessage(TargetWireProtocol protocol)
    {
        var detail = TargetTimeout.ArmDetail(CommitResponse, protocol);

        detail.Should().NotContain("CommandComplete").And.NotContain("ReadyForQuery");
    }

    [Theory]
    [InlineData(TargetWireProtocol.PostgreSql, "no COMMIT ending a transaction that wrote")]
    [InlineData(TargetWireProtocol.MySql, "no OK packet for a COMMIT after writes")]
    [InlineData(TargetWireProtocol.Http, "no final 2xx response")]
    public void NothingWithheld_CommitResponse_NamesTheReplyItsProtocolWaitedFor(TargetWireProtocol protocol, string reply)
    {
        TargetTimeout.NothingWithheld(TargetTimeoutMode.CommitResponse, protocol).Should().Contain(reply);
    }

    [Theory]
    [InlineData(TargetTimeoutMode.NextResponse)]
    [InlineData(TargetTimeoutMode.AllResponses)]
    public void ArmDetail_OtherModes_AreTheSameForEveryProtocol(TargetTimeoutMode mode)
    {
        var options = new TargetTimeoutOptions { Mode = mode };

        TargetTimeout.ArmDetail(options, TargetWireProtocol.MySql).Should().Be(TargetTimeout.ArmDetail(options, TargetWireProtocol.PostgreSql))
            .And.Be(TargetTimeout.ArmDetail(options, TargetWireProtocol.Http));
    }
}
