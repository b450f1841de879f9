using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using SinkIdempotency.Timing;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Targets.Http;

/// <summary>Handles the requests of the HTTP target server.</summary>
public sealed partial class HttpTargetServer
{
    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var clientPort = context.Connection.RemotePort;
        byte[] body;
        Started(clientPort);
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        catch
        {
            Finished(clientPort);
            throw;
        }

        var key = request.Headers.TryGetValue(_options.IdempotencyKeyHeader, out var keyValues) && !string.IsNullOrEmpty(keyValues.ToString())
            ? keyValues.ToString()
            : null;
        var isPost = HttpMethods.IsPost(request.Method);
        var path = request.Path.Value is { Length: > 0 } value ? value : "/";
        HttpTargetFault? fault;
        HttpRequestOutcome outcome;
        int status;
        lock (_gate)
        {
            var receivedAt = _options.TimeProvider.GetUtcNow();
            var sequence = _audit.Count + 1L;
            fault = isPost ? TakeFault() : null;
            if (!isPost)
            {
                (outcome, status) = (HttpRequestOutcome.Rejected, StatusCodes.Status405MethodNotAllowed);
            }
            else if (fault?.Kind == HttpTargetFaultKind.FailRequest)
            {
                (outcome, status) = (HttpRequestOutcome.Failed, fault.StatusCode);
            }
            else if (_honourKeys && key is not null && _appliedKeys.Contains((path, key)))
            {
                (outcome, status) = (HttpRequestOutcome.DuplicateIgnored, StatusCodes.Status200OK);
            }
            else
            {
                (outcome, status) = (HttpRequestOutcome.Applied, StatusCodes.Status200OK);
                AddAppliedLocked(new HttpTargetRecord(sequence, receivedAt, key, Encoding.UTF8.GetString(body), SourceOf(request.Headers), path));
            }

            var fate = fault?.Kind switch
            {
                HttpTargetFaultKind.DelayResponse => HttpResponseFate.Delayed,
                HttpTargetFaultKind.DropResponse => HttpResponseFate.Dropped,
                _ => HttpResponseFate.Sent,
            };
            _audit.Add(new HttpTargetRequest(sequence, receivedAt, request.Method, path, key, ValueHash.Compute(body), body.Length, outcome, fate, status));

            // Applied or refused: what the client sent can no longer change the target (Lock is re-entrant).
            Finished(clientPort);
        }

        if (fault?.Kind == HttpTargetFaultKind.DropResponse)
        {
            context.Abort();
            return;
        }

        if (fault?.Kind == HttpTargetFaultKind.DelayResponse)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await DelayAtLeast.WaitAsync(fault.Delay, _options.TimeProvider, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The client gave up (its timeout) or the server is stopping: there is nobody left to answer.
                context.Abort();
                return;
            }
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var answer = outcome switch
        {
            HttpRequestOutcome.Applied => """{"status":"applied"}""",
            HttpRequestOutcome.DuplicateIgnored => """{"status":"duplicate","message":"This idempotency key was already applied."}""",
            HttpRequestOutcome.Failed => """{"status":"failed","message":"The target failed the request (injected fault)."}""",
            _ => """{"status":"rejected","message":"Only POST is accepted."}""",
        };
        await context.Response.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
    }

    private HttpTargetFault? TakeFault()
    {
        foreach (var active in _faults)
        {
            if (active.Remaining is null)
            {
                return active.Fault;
            }

            if (active.Remaining > 0)
            {
                active.Remaining--;
                return active.Fault;
            }
        }

        return null;
    }

    private static SourcePosition? SourceOf(IHeaderDictionary headers) =>
        headers.TryGetValue("X-Kafka-Topic", out var topic) && !string.IsNullOrEmpty(topic.ToString())
        && int.TryParse(headers["X-Kafka-Partition"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var partition)
        && long.TryParse(headers["X-Kafka-Offset"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset)
            ? new SourcePosition(topic.ToString(), partition, offset)
            : null;
}
