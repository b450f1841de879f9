using Confluent.Kafka.Admin;
using SinkIdempotency.Broker.Faults;
using BrokerApiKey = SinkIdempotency.Broker.Protocol.ApiKey;
using BrokerError = SinkIdempotency.Broker.Protocol.ErrorCode;
using static SinkIdempotency.Broker.Tests.Admin.DeleteRecordsClientTests;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Admin;

public sealed class DescribeAclsClientTests
{
    /// <remarks>
    /// The broker answers SECURITY_DISABLED (see <see cref="AdminWireTests"/>), as Kafka without an authorizer does, but
    /// librdkafka's <c>rd_kafka_DescribeAclsResponse_parse</c> reads the error code and drops it: through
    /// Confluent.Kafka a cluster without an authorizer looks like one with no ACLs. A check that must tell the two
    /// apart has to read the DescribeAcls answer itself (kafka-python raises SecurityDisabledError).
    /// </remarks>
    [Fact]
    public async Task DescribeAclsAsync_NoAuthorizer_LibrdkafkaDropsSecurityDisabledAndReportsNoBindings()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = AdminFor(broker);
        var filter = new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ResourceType.Group, Name = "connect-orders", ResourcePatternType = ResourcePatternType.Literal },
            EntryFilter = new AccessControlEntryFilter { Principal = "User:connect", Host = "*", Operation = AclOperation.Read, PermissionType = AclPermissionType.Allow },
        };
        var answers = new List<BrokerExchange>();
        using var observer = broker.ObserveRequests(e =>
        {
            if (e.Request.ApiKey == BrokerApiKey.DescribeAcls)
            {
                lock (answers)
                {
                    answers.Add(e);
                }
            }
        });

        var result = await admin.DescribeAclsAsync(filter);

        result.AclBindings.Should().BeEmpty();
        lock (answers)
        {
            answers.Should().ContainSingle().Which.ErrorCode.Should().Be(BrokerError.SecurityDisabled);
            answers[0].Request.ApiVersion.Should().Be(2, "librdkafka sends the highest version both sides know (its own maximum)");
        }
    }
}
