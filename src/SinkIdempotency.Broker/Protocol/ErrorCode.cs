namespace SinkIdempotency.Broker.Protocol;

/// <summary>Names the Kafka protocol error codes the embedded broker returns (Kafka's <c>Errors.java</c>).</summary>
public enum ErrorCode : short
{
    /// <summary>An unexpected server error (-1).</summary>
    UnknownServerError = -1,

    /// <summary>No error (0).</summary>
    None = 0,

    /// <summary>The requested offset is outside the log (1).</summary>
    OffsetOutOfRange = 1,

    /// <summary>A record batch failed its CRC check or is malformed (2).</summary>
    CorruptMessage = 2,

    /// <summary>The topic or partition does not exist (3).</summary>
    UnknownTopicOrPartition = 3,

    /// <summary>The partition has no leader right now (5).</summary>
    LeaderNotAvailable = 5,

    /// <summary>This broker is not the leader for the partition (6).</summary>
    NotLeaderOrFollower = 6,

    /// <summary>The request timed out (7).</summary>
    RequestTimedOut = 7,

    /// <summary>The message is larger than the broker accepts (10).</summary>
    MessageTooLarge = 10,

    /// <summary>The offset commit metadata is too large (12).</summary>
    OffsetMetadataTooLarge = 12,

    /// <summary>The coordinator is loading its state (14).</summary>
    CoordinatorLoadInProgress = 14,

    /// <summary>The coordinator is not available (15).</summary>
    CoordinatorNotAvailable = 15,

    /// <summary>This broker is not the coordinator (16).</summary>
    NotCoordinator = 16,

    /// <summary>The topic name is invalid (17).</summary>
    InvalidTopicException = 17,

    /// <summary>The produce request's acks value is not -1, 0 or 1 (21).</summary>
    InvalidRequiredAcks = 21,

    /// <summary>The generation id is not the group's current one (22).</summary>
    IllegalGeneration = 22,

    /// <summary>The member's protocols do not match the group's (23).</summary>
    InconsistentGroupProtocol = 23,

    /// <summary>The group id is invalid (24).</summary>
    InvalidGroupId = 24,

    /// <summary>The member id is not known to the coordinator (25).</summary>
    UnknownMemberId = 25,

    /// <summary>The session timeout is outside the allowed range (26).</summary>
    InvalidSessionTimeout = 26,

    /// <summary>The group is rebalancing (27).</summary>
    RebalanceInProgress = 27,

    /// <summary>The request version is not supported (35).</summary>
    UnsupportedVersion = 35,

    /// <summary>The topic already exists (36).</summary>
    TopicAlreadyExists = 36,

    /// <summary>The partition count is invalid (37).</summary>
    InvalidPartitions = 37,

    /// <summary>The replication factor is invalid (38).</summary>
    InvalidReplicationFactor = 38,

    /// <summary>A configuration value is invalid (40).</summary>
    InvalidConfig = 40,

    /// <summary>The request is malformed (42).</summary>
    InvalidRequest = 42,

    /// <summary>The record batch format is not supported for this request version (43).</summary>
    UnsupportedForMessageFormat = 43,

    /// <summary>The request violates a broker policy (44).</summary>
    PolicyViolation = 44,

    /// <summary>The producer sequence number is out of order (45).</summary>
    OutOfOrderSequenceNumber = 45,

    /// <summary>The producer sequence number was already written (46).</summary>
    DuplicateSequenceNumber = 46,

    /// <summary>The producer epoch is fenced (47).</summary>
    InvalidProducerEpoch = 47,

    /// <summary>The transactional id is not authorized; the embedded broker has no transactions (53).</summary>
    TransactionalIdAuthorizationFailed = 53,

    /// <summary>No authorizer is configured on the broker, so ACLs cannot be described or changed (54).</summary>
    SecurityDisabled = 54,

    /// <summary>The producer id is not known (59).</summary>
    UnknownProducerId = 59,

    /// <summary>The compression type is not supported for this request version (76).</summary>
    UnsupportedCompressionType = 76,

    /// <summary>The group still has members (68).</summary>
    NonEmptyGroup = 68,

    /// <summary>The group does not exist (69).</summary>
    GroupIdNotFound = 69,

    /// <summary>The member must rejoin with the member id the coordinator assigned (79).</summary>
    MemberIdRequired = 79,

    /// <summary>The group has reached its maximum size (81).</summary>
    GroupMaxSizeReached = 81,

    /// <summary>The static member's instance id was fenced (82).</summary>
    FencedInstanceId = 82,

    /// <summary>The group is subscribed to the topic whose offsets are being deleted (86).</summary>
    GroupSubscribedToTopic = 86,

    /// <summary>A record in the batch is invalid (87).</summary>
    InvalidRecord = 87,
}
