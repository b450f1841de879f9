using System.Globalization;
using Npgsql;
using SinkIdempotency.Environments;
using SinkIdempotency.Targets;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Embedded;

/// <summary>Waits until the broker or the targets (or both) have handled everything a frozen worker process sent them before it stopped.</summary>
/// <remarks>
/// Three checks, in order. Every thread of the process is stopped (the caller's freeze), so nothing new is sent. Every
/// connection the process opened to the servers waited for has an empty send queue and its server end an empty receive
/// queue (polled through netlink <c>sock_diag</c>, see <see cref="SockDiag"/>): each server has read every byte (an
/// <c>OffsetCommit</c>, a <c>COMMIT</c>, a POST) written before the stop. And each target says that none of the process's
/// connections to it still has a write in progress (<see cref="ISinkTarget.CountWritesInFlightAsync"/>: PostgreSQL's
/// <c>pg_stat_activity</c>, MySQL's <c>processlist</c>, the HTTP target server's requests not yet applied), so a write that
/// was read has also finished. A session that waits on the frozen client itself counts as drained: it cannot move until
/// the worker runs again, which it then never does. The embedded broker applies an offset commit in the same step that
/// reads it, so reading it is applying it, up to the microseconds between the two; the caller's second observation covers those.
/// </remarks>
internal static class WorkerDrain
{
    /// <summary>Waits until the servers in <paramref name="scope"/> have read and handled what the process sent, or the timeout passes.</summary>
    /// <param name="pid">The frozen process.</param>
    /// <param name="scope">The servers to wait for.</param>
    /// <param name="brokerPorts">The ports of the Kafka brokers the process may have sent to.</param>
    /// <param name="targets">The targets the process may have written to, each with the port its sinks connect to directly and a name for the evidence.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Whether everything waited for drained, a sentence for the evidence, and the local ports of the process's connections to each target port.</returns>
    public static async Task<(bool Drained, string Detail, IReadOnlyDictionary<int, IReadOnlyList<int>> TargetClientPorts)> WaitAsync(
        int pid, WorkerDrainScope scope, IReadOnlyCollection<int> brokerPorts, IReadOnlyList<(int Port, string Name, ISinkTarget Target)> targets, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var deadline = Deadline.After(timeout, time);
        using var diag = OpenSockDiag();
        var owned = ProcTcp.SocketInodes(pid);
        var all = ProcTcp.ClientConnections(diag?.All() ?? ProcTcp.ReadTable(pid), owned);
        var targetPorts = targets.Select(t => t.Port).ToHashSet();
        IReadOnlyDictionary<int, IReadOnlyList<int>> clientPorts = targetPorts.ToDictionary(
            port => port,
            port => (IReadOnlyList<int>)[.. all.Where(c => c.Client.Remote.Port == port).Select(c => c.Client.Local.Port)]);
        bool Watched(TcpSocket client) =>
            (scope.HasFlag(WorkerDrainScope.Broker) && brokerPorts.Contains(client.Remote.Port))
            || (scope.HasFlag(WorkerDrainScope.Target) && targetPorts.Contains(client.Remote.Port));

        var connections = all.Where(c => Watched(c.Client)).ToList();
        if (scope.HasFlag(WorkerDrainScope.Broker) && !connections.Any(c => brokerPorts.Contains(c.Client.Remote.Port)))
        {
            // A worker running a task is connected to its group coordinator: finding no broker connection means the ports
            // are not the ones it uses, and an empty list must not pass for a drained one.
            return (false, Invariant($"no connection of the process to a broker (ports {string.Join(',', brokerPorts)}) was found, so what it sent could not be waited for"), clientPorts);
        }

        while (true)
        {
            var pending = diag is null
                ? connections.Count(c => c.Client.TxQueue > 0 || c.Server is { RxQueue: > 0 })
                : connections.Count(c => diag.Queues(c.Client.Local, c.Client.Remote) is { TxQueue: > 0 }
                    || (c.Server is { } server && diag.Queues(server.Local, server.Remote) is { RxQueue: > 0 }));
            if (pending == 0)
            {
                break;
            }

            if (deadline.HasPassed)
            {
                return (false, Invariant($"{pending} of {connections.Count} connection(s) to the {Name(scope)} still held bytes their server had not read after {timeout.TotalMilliseconds:0} ms"), clientPorts);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
            if (diag is null)
            {
                connections = [.. ProcTcp.ClientConnections(ProcTcp.ReadTable(pid), owned).Where(c => Watched(c.Client))];
            }
        }

        var unseen = connections.Count(c => c.Server is null);
        var detail = Invariant($"{connections.Count} connection(s) to the {Name(scope)} drained in {time.GetElapsedTime(started).TotalMilliseconds:0} ms (every byte sent was read by its server{(unseen > 0 ? $"; {unseen} server end(s) not visible" : string.Empty)})");
        var asked = scope.HasFlag(WorkerDrainScope.Target)
            ? targets.Where(t => clientPorts[t.Port].Count > 0).ToList()
            : [];
        if (asked.Count == 0)
        {
            return (unseen == 0, detail, clientPorts);
        }

        var sessions = asked.Sum(t => clientPorts[t.Port].Count);
        var kinds = string.Join(", ", asked.Select(t => t.Name));
        while (true)
        {
            var busy = 0;
            foreach (var (port, _, target) in asked)
            {
                busy += await target.CountWritesInFlightAsync(clientPorts[port], cancellationToken).ConfigureAwait(false);
            }

            if (busy == 0)
            {
                return (unseen == 0, Invariant($"{detail}; {sessions} connection(s) to the target ({kinds}) with no write in progress at {time.GetElapsedTime(started).TotalMilliseconds:0} ms"), clientPorts);
            }

            if (deadline.HasPassed)
            {
                return (false, Invariant($"{detail}; {busy} of {sessions} connection(s) to the target ({kinds}) still had a write in progress after {timeout.TotalMilliseconds:0} ms"), clientPorts);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Netlink lookups are fast; where the kernel refuses them, /proc/net/tcp is read instead (tens of milliseconds a read).
    private static SockDiag? OpenSockDiag()
    {
        try
        {
            return SockDiag.Open();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Name(WorkerDrainScope scope) => scope switch
    {
        WorkerDrainScope.Broker => "broker",
        WorkerDrainScope.Target => "target",
        _ => "broker and the target",
    };

    /// <summary>Waits until PostgreSQL has ended the sessions of a killed process (each ends its open transaction as it goes), or the timeout passes.</summary>
    /// <returns>The number of sessions still there at the end: zero when the server let go of all of them.</returns>
    public static async Task<long> WaitForSessionsGoneAsync(NpgsqlDataSource postgreSql, IReadOnlyList<int> ports, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ports.Count == 0)
        {
            return 0;
        }

        long left = 0;
        await Poll.UntilAsync(time, async token => (left = await PostgreSqlSinkTarget.CountSessionsAsync(postgreSql, ports, onlyBusy: false, token).ConfigureAwait(false)) == 0, timeout, TimeSpan.FromMilliseconds(2), cancellationToken).ConfigureAwait(false);
        return left;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
