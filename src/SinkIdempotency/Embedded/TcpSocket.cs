using System.Net;

namespace SinkIdempotency.Embedded;

/// <summary>Describes one row of the kernel's TCP table.</summary>
/// <param name="Local">The local end (IPv4-mapped IPv6 addresses are given as IPv4).</param>
/// <param name="Remote">The remote end.</param>
/// <param name="State">The TCP state number (<see cref="ProcTcp.Established"/>, <see cref="ProcTcp.Listen"/>, …).</param>
/// <param name="TxQueue">Bytes sent and not yet acknowledged by the peer.</param>
/// <param name="RxQueue">Bytes received and not yet read by the owning process.</param>
/// <param name="Inode">The socket's inode, which links it to the process holding it.</param>
internal readonly record struct TcpSocket(IPEndPoint Local, IPEndPoint Remote, int State, long TxQueue, long RxQueue, long Inode);
