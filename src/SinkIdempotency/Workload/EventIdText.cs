using System.Text.RegularExpressions;

namespace SinkIdempotency.Workload;

/// <summary>Finds the event ids a text names: the generator's ids are GUIDs in their <c>D</c> form, which stand out in traces and raw record values.</summary>
internal static partial class EventIdText
{
    /// <summary>Yields the ledger entries whose event ids appear in the text, with where, in order of appearance.</summary>
    public static IEnumerable<(int At, LedgerEntry Entry)> Find(string text, IReadOnlyDictionary<string, LedgerEntry> byEventId)
    {
        foreach (Match match in Pattern().Matches(text))
        {
            if (byEventId.TryGetValue(match.Value, out var entry))
            {
                yield return (match.Index, entry);
            }
        }
    }

    /// <summary>Indexes a ledger by event id, case-insensitively (GUIDs may be printed in either case).</summary>
    public static Dictionary<string, LedgerEntry> Index(IEnumerable<LedgerEntry> ledger)
    {
        var byEventId = new Dictionary<string, LedgerEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in ledger)
        {
            byEventId.TryAdd(entry.EventId, entry);
        }

        return byEventId;
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
