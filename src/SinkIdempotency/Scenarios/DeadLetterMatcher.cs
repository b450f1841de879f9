using System.Text;
using SinkIdempotency.Kafka;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <summary>Maps the records of a dead-letter topic to the run's produced records, with or without Connect's context headers.</summary>
/// <remarks>
/// With <c>errors.deadletterqueue.context.headers.enable=true</c> the <c>__connect.errors.*</c> headers name the source
/// position; records of another topic (a dead-letter topic shared by several connectors) are left out. Connect's default
/// writes no headers: then the record's original value is searched for the event id every record the harness produces
/// carries (poison records included), and matched only when its timestamp (Connect keeps the original record's) is not
/// older than the run, so a shared topic's records from an earlier run of the same scenario never count.
/// </remarks>
internal static class DeadLetterMatcher
{
    /// <summary>Matches dead-letter records to the ledger.</summary>
    /// <param name="records">The dead-letter topic's records.</param>
    /// <param name="topic">The run's source topic.</param>
    /// <param name="ledger">The produced records.</param>
    /// <param name="notBefore">When the run's topic was created; records older than this belong to someone else.</param>
    /// <returns>The run's dead-letter records, and how many records named no source at all.</returns>
    public static (IReadOnlyList<DeadLetterRecord> Matched, int Unidentified) Match(
        IReadOnlyList<DeadLetterTopicRecord> records,
        string topic,
        IReadOnlyList<LedgerEntry> ledger,
        DateTimeOffset notBefore)
    {
        var byEventId = EventIdText.Index(ledger);
        var matched = new List<DeadLetterRecord>();
        var unidentified = 0;
        foreach (var record in records)
        {
            if (record.ToDeadLetterRecord() is { } withHeaders)
            {
                if (withHeaders.Source.Topic == topic)
                {
                    matched.Add(withHeaders);
                }

                continue;
            }

            if (record.Timestamp < notBefore)
            {
                continue;
            }

            var entry = FindEventId(record.Value, byEventId) ?? FindEventId(record.Key, byEventId);
            if (entry is null)
            {
                unidentified++;
                continue;
            }

            matched.Add(new DeadLetterRecord(entry.Position, record.Header("__connect.errors.exception.class.name"), record.Header("__connect.errors.exception.message")));
        }

        return (matched, unidentified);
    }

    private static LedgerEntry? FindEventId(byte[]? bytes, IReadOnlyDictionary<string, LedgerEntry> byEventId)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return null;
        }

        // Lossy on purpose: garbage-bytes poison is not UTF-8 at its start but still carries the event id as ASCII.
        return EventIdText.Find(Encoding.UTF8.GetString(bytes), byEventId).Select(f => f.Entry).FirstOrDefault();
    }
}
