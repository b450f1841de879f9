using System.Globalization;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <summary>Holds one record read from a dead-letter topic, with its headers decoded as UTF-8 (Connect writes its context headers as strings).</summary>
/// <param name="Position">Gets the record's own position in the dead-letter topic.</param>
/// <param name="Key">Gets the key bytes (the original record's key), or <see langword="null"/>.</param>
/// <param name="Value">Gets the value bytes (the original record's raw value), or <see langword="null"/>.</param>
/// <param name="Timestamp">Gets the record timestamp.</param>
/// <param name="Headers">Gets the headers in order; a name may repeat.</param>
public sealed record DeadLetterTopicRecord(
    SourcePosition Position,
    byte[]? Key,
    byte[]? Value,
    DateTimeOffset Timestamp,
    IReadOnlyList<KeyValuePair<string, string?>> Headers)
{
    /// <summary>Reads the last header with the given name.</summary>
    /// <param name="name">The header name, e.g. <c>__connect.errors.stage</c>.</param>
    /// <returns>The header value, or <see langword="null"/> when the header is absent or has no value.</returns>
    public string? Header(string name) => Headers.LastOrDefault(h => h.Key == name).Value;

    /// <summary>Maps the record to the original record's position through Connect's <c>__connect.errors.*</c> context headers.</summary>
    /// <returns>The dead-letter record for the reconciler, or <see langword="null"/> when the context headers are missing (<c>errors.deadletterqueue.context.headers.enable=false</c>).</returns>
    public DeadLetterRecord? ToDeadLetterRecord()
    {
        var topic = Header("__connect.errors.topic");
        if (topic is null
            || !int.TryParse(Header("__connect.errors.partition"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(Header("__connect.errors.offset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset))
        {
            return null;
        }

        return new DeadLetterRecord(
            new SourcePosition(topic, partition, offset),
            Header("__connect.errors.exception.class.name"),
            Header("__connect.errors.exception.message"));
    }
}
