using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Delivers the leader's assignment; a follower's answer is parked until the leader syncs.</summary>
internal sealed class SyncGroupHandler(BrokerState state)
    : ApiHandler<SyncGroupRequest>(ApiKey.SyncGroup, minVersion: 0, maxVersion: 3, firstFlexible: 4)
{
    protected override ValueTask<Response?> HandleAsync(SyncGroupRequest request, RequestContext context)
    {
        var pending = state.Groups.SyncGroupAsync(request);
        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult<Response?>(pending.Result)
            : AwaitAsync(pending);
    }

    private static async ValueTask<Response?> AwaitAsync(Task<SyncGroupResponse> pending)
    {
        return await pending.ConfigureAwait(false);
    }
}
