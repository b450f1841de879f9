using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Handlers;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Server;

/// <summary>Part 2's registrations: the consumer-group and group-admin handlers and the fault-injection hook.</summary>
internal sealed partial class RequestDispatcher
{
    partial void RegisterGroupHandlers(BrokerState state)
    {
        Register(ApiKey.FindCoordinator, new FindCoordinatorHandler(state));
        Register(ApiKey.JoinGroup, new JoinGroupHandler(state));
        Register(ApiKey.SyncGroup, new SyncGroupHandler(state));
        Register(ApiKey.Heartbeat, new HeartbeatHandler(state));
        Register(ApiKey.LeaveGroup, new LeaveGroupHandler(state));
        Register(ApiKey.OffsetCommit, new OffsetCommitHandler(state));
        Register(ApiKey.OffsetFetch, new OffsetFetchHandler(state));
        Register(ApiKey.ListGroups, new ListGroupsHandler(state));
        Register(ApiKey.DescribeGroups, new DescribeGroupsHandler(state));
        Register(ApiKey.DeleteGroups, new DeleteGroupsHandler(state));
        Register(ApiKey.OffsetDelete, new OffsetDeleteHandler(state));

        // Always installed: it also records each connection's client id, which the fault API needs to
        // close a client's connections; with no faults or observers it passes requests synchronously.
        Interceptor = new FaultInterceptor(state);
    }
}
