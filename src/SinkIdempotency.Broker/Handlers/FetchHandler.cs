using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>
/// Serves Fetch with Kafka's rules: whole batches from the one containing the fetch offset, MaxBytes and
/// per-partition limits (the first batch of the response always fits), and a long-poll of up to
/// MaxWaitMs while fewer than MinBytes are available, woken by appends rather than polling.
/// </summary>
internal sealed class FetchHandler(BrokerState state)
    : ApiHandler<FetchRequest>(ApiKey.Fetch, minVersion: 4, maxVersion: 11, firstFlexible: 12)
{
    protected override ValueTask<Response?> HandleAsync(FetchRequest request, RequestContext context)
    {
        var response = Collect(request, out var bytes, out var hasError);
        if (hasError || bytes >= request.MinBytes || request.MaxWaitMs <= 0)
        {
            return ValueTask.FromResult<Response?>(response);
        }

        return WaitAsync(request, context.CancellationToken);
    }

    private async ValueTask<Response?> WaitAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        var time = state.TimeProvider;
        var deadline = time.GetTimestamp() + (long)(request.MaxWaitMs / 1000.0 * time.TimestampFrequency);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var expired = Task.Delay(TimeSpan.FromMilliseconds(request.MaxWaitMs), time, timeout.Token);
        try
        {
            while (true)
            {
                var signals = new List<Task>(8) { expired };
                foreach (var topic in request.Topics)
                {
                    if (!state.Topics.TryGet(topic.Name, out var t))
                    {
                        continue;
                    }

                    foreach (var partition in topic.Partitions)
                    {
                        if (t.GetPartition(partition.Index) is { } log)
                        {
                            signals.Add(log.WaitForAppendAsync(partition.FetchOffset));
                        }
                    }
                }

                await Task.WhenAny(signals).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                var response = Collect(request, out var bytes, out var hasError);
                if (hasError || bytes >= request.MinBytes || expired.IsCompleted || time.GetTimestamp() >= deadline)
                {
                    return response;
                }
            }
        }
        finally
        {
            await timeout.CancelAsync().ConfigureAwait(false);
        }
    }

    private FetchResponse Collect(FetchRequest request, out int totalBytes, out bool hasError)
    {
        totalBytes = 0;
        hasError = false;
        var maxBytes = request.MaxBytes <= 0 ? int.MaxValue : request.MaxBytes;
        var topics = new List<FetchTopicResponse>(request.Topics.Count);
        foreach (var topicRequest in request.Topics)
        {
            state.Topics.TryGet(topicRequest.Name, out var topic);
            var partitions = new List<FetchPartitionResponse>(topicRequest.Partitions.Count);
            foreach (var p in topicRequest.Partitions)
            {
                var log = topic?.GetPartition(p.Index);
                if (log is null)
                {
                    hasError = true;
                    partitions.Add(new FetchPartitionResponse(p.Index, ErrorCode.UnknownTopicOrPartition, -1, -1, -1, []));
                    continue;
                }

                var batches = new List<ReadOnlyMemory<byte>>();
                var limit = Math.Max(0, Math.Min(p.PartitionMaxBytes, maxBytes - totalBytes));
                var read = log.Read(p.FetchOffset, limit, minOneBatch: totalBytes == 0, batches);
                if (read.Error != ErrorCode.None)
                {
                    hasError = true;
                }

                totalBytes += read.Bytes;
                partitions.Add(new FetchPartitionResponse(p.Index, read.Error, read.HighWatermark, read.HighWatermark, read.LogStartOffset, batches));
            }

            topics.Add(new FetchTopicResponse(topicRequest.Name, partitions));
        }

        return new FetchResponse(ErrorCode.None, topics);
    }
}
