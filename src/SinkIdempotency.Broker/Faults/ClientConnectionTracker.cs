using System.Collections.Concurrent;

namespace SinkIdempotency.Broker.Faults;

/// <summary>Remembers which client id each open connection uses, so the fault API can close a client's connections.</summary>
internal sealed class ClientConnectionTracker
{
    private readonly ConcurrentDictionary<long, string?> _clients = new();

    /// <summary>Records the connection's client id the first time it sends a request; forgets it when the connection closes.</summary>
    public void Track(long connectionId, string? clientId, CancellationToken connectionClosed)
    {
        if (_clients.ContainsKey(connectionId) || !_clients.TryAdd(connectionId, clientId))
        {
            return;
        }

        connectionClosed.Register(static state =>
        {
            var (clients, id) = ((ConcurrentDictionary<long, string?>, long))state!;
            clients.TryRemove(id, out _);
        }, (_clients, connectionId));
    }

    public IReadOnlyList<long> ConnectionsOf(string clientId) =>
        [.. _clients.Where(pair => pair.Value == clientId).Select(pair => pair.Key)];
}
