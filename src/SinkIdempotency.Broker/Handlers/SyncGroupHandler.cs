using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Delivers the leader's assignment; a follower's answer is parked until the leader syncs.</summary>
internal sealed class SyncGroupHandler(BrokerState state) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        var request = SyncGroupRequest.Read(ref reader, context.ApiVersion);
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
