using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Joins a member to its group; the answer is parked until the join barrier completes.</summary>
internal sealed class JoinGroupHandler(BrokerState state)
    : ApiHandler<JoinGroupRequest>(ApiKey.JoinGroup, minVersion: 0, maxVersion: 5, firstFlexible: 6)
{
    protected override ValueTask<Response?> HandleAsync(JoinGroupRequest request, RequestContext context)
    {
        var pending = state.Groups.JoinGroupAsync(request, context.ApiVersion, context.ClientId ?? string.Empty, context.ClientHost);
        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult<Response?>(pending.Result)
            : AwaitAsync(pending);
    }

    private static async ValueTask<Response?> AwaitAsync(Task<JoinGroupResponse> pending)
    {
        return await pending.ConfigureAwait(false);
    }
}
