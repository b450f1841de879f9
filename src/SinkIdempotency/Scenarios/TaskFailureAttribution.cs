using System.Globalization;
using System.Text.RegularExpressions;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <summary>Decides whether a failed task was stopped by one of the scenario's own poison records, and says how it knows.</summary>
/// <remarks>
/// <para>A failure is attributed to a poison record only with proof, one of:</para>
/// <list type="number">
/// <item>the trace names a poison record: its event id, or its topic, partition and offset (as Connect prints a consumed
/// record, <c>topic='t', partition=0, offset=500</c>, or as <c>t-0@500</c>);</item>
/// <item>the trace names no record of the run at all, and a partition's committed offset stops exactly at a poison record:
/// the connector committed everything before it and nothing from it on (real Connect's converter errors name no record;
/// the runner lets the sink drain the records before each poison, so a sink that stops on it commits up to it).</item>
/// </list>
/// <para>
/// A trace that names a record the scenario produced well-formed is not attributed, whatever the offsets say. Neither is a
/// failure when no produced record reached the target: a sink that writes nothing stops at the first record, which looks
/// the same as stopping at a poison record placed first.
/// </para>
/// </remarks>
internal static class TaskFailureAttribution
{
    /// <summary>Attributes a failure, or explains why it cannot be.</summary>
    /// <param name="failure">The failure as observed.</param>
    /// <param name="topic">The run's source topic.</param>
    /// <param name="ledger">The produced records, poison flagged.</param>
    /// <param name="committed">The committed offsets at the end of the run.</param>
    /// <param name="recordsInTarget">How many produced records the target holds.</param>
    /// <returns>The failure with <see cref="TaskFailure.CausedByPoison"/>, <see cref="TaskFailure.Poison"/> and <see cref="TaskFailure.Attribution"/> set.</returns>
    public static TaskFailure Attribute(
        TaskFailure failure,
        string topic,
        IReadOnlyList<LedgerEntry> ledger,
        IReadOnlyDictionary<SourcePartition, long> committed,
        long recordsInTarget)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(committed);
        if (!ledger.Any(e => e.Poison))
        {
            return NotAttributed(failure, "the scenario produced no poison record, so none explains it");
        }

        var named = NamedRecords(failure.Trace, topic, ledger);
        LedgerEntry proof;
        string how;
        if (named.FirstOrDefault(e => e.Poison) is { } poison)
        {
            proof = poison;
            how = $"the trace names poison record {Format(poison)}";
        }
        else if (named.Count > 0)
        {
            return NotAttributed(failure, $"the trace names record {Format(named[0])}, which the scenario produced well-formed");
        }
        else if (ledger.FirstOrDefault(e => e.Poison && committed.TryGetValue(e.SourcePartition, out var offset) && offset == e.Offset) is { } stopped)
        {
            proof = stopped;
            how = string.Create(CultureInfo.InvariantCulture, $"the trace names no record, and partition {stopped.Partition}'s committed offset stops exactly at poison record {Format(stopped)}");
        }
        else
        {
            return NotAttributed(failure, "the trace names no poison record, and no partition's committed offset stops at one");
        }

        if (recordsInTarget == 0)
        {
            return NotAttributed(failure, $"{how}, but no record reached the target: a sink that writes nothing stops the same way; place the poison after some good records");
        }

        return failure with { CausedByPoison = true, Poison = proof.Position, Attribution = how };
    }

    /// <summary>Finds the produced records a trace names, by coordinates on the run's topic or by event id, in the order they appear.</summary>
    internal static IReadOnlyList<LedgerEntry> NamedRecords(string trace, string topic, IReadOnlyList<LedgerEntry> ledger)
    {
        var found = new List<(int At, LedgerEntry Entry)>();
        var byPosition = new Dictionary<SourcePosition, LedgerEntry>();
        foreach (var entry in ledger)
        {
            byPosition.TryAdd(entry.Position, entry);
        }

        if (!string.IsNullOrEmpty(topic))
        {
            var escaped = Regex.Escape(topic);
            var patterns = new[]
            {
                new Regex(escaped + @"-(\d+)@(\d+)", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
                new Regex(escaped + @"['""]?\s*[,;)]?\s*partition\s*[=:]?\s*(\d+)[^\n]{0,80}?offset\s*[=:]?\s*(\d+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)),
            };
            foreach (var pattern in patterns)
            {
                foreach (Match match in pattern.Matches(trace))
                {
                    if (int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                        && long.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                        && byPosition.TryGetValue(new SourcePosition(topic, partition, offset), out var entry))
                    {
                        found.Add((match.Index, entry));
                    }
                }
            }
        }

        found.AddRange(EventIdText.Find(trace, EventIdText.Index(ledger)));

        return [.. found.OrderBy(f => f.At).Select(f => f.Entry).Distinct()];
    }

    private static TaskFailure NotAttributed(TaskFailure failure, string why) =>
        failure with { CausedByPoison = false, Poison = null, Attribution = why };

    private static string Format(LedgerEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{entry.Topic}-{entry.Partition}@{entry.Offset} (event {entry.EventId})");
}
