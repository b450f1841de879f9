namespace SinkIdempotency.Proxy;

/// <summary>Locates one message a PostgreSQL server sent, by its position in the connection's server-to-client stream.</summary>
/// <param name="Type">The message's type byte (for example <c>C</c> for CommandComplete, <c>Z</c> for ReadyForQuery).</param>
/// <param name="Start">The stream position of its first byte (the type byte).</param>
/// <param name="End">The stream position just after its last byte.</param>
/// <param name="Tag">The command tag of a CommandComplete (for example <c>INSERT 0 3</c>, <c>COMMIT</c>), otherwise <see langword="null"/>.</param>
/// <param name="Status">The transaction status of a ReadyForQuery (<c>I</c> idle, <c>T</c> in a transaction block, <c>E</c> in a failed one), otherwise 0.</param>
internal readonly record struct PostgreSqlBackendMessage(byte Type, long Start, long End, string? Tag, byte Status);
