namespace SinkIdempotency.Workload;

/// <summary>Collects every record the harness produced, in acknowledgement order; safe for concurrent delivery callbacks.</summary>
/// <remarks>
/// Appending takes a short lock around a list add, which costs tens of nanoseconds when uncontended, so delivery
/// handlers can call <see cref="Append(LedgerEntry)"/> directly. Readers take a snapshot and never see a torn list.
/// </remarks>
public sealed partial class Ledger
{
    private readonly Lock _gate = new();
    private readonly List<LedgerEntry> _entries;

    /// <summary>Initializes an empty ledger.</summary>
    public Ledger()
        : this(0)
    {
    }

    /// <summary>Initializes an empty ledger with room for the given number of entries.</summary>
    /// <param name="capacity">The number of entries to reserve room for.</param>
    public Ledger(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _entries = new List<LedgerEntry>(capacity);
    }

    /// <summary>Initializes a ledger holding the given entries.</summary>
    /// <param name="entries">The entries, in acknowledgement order.</param>
    public Ledger(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [.. entries];
        foreach (var entry in _entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
        }
    }

    /// <summary>Gets the number of entries appended so far.</summary>
    /// <value>Zero for a new ledger.</value>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Appends one acknowledged record.</summary>
    /// <param name="entry">The record's ledger entry.</param>
    public void Append(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    /// <summary>Appends several acknowledged records at once.</summary>
    /// <param name="entries">The records' ledger entries.</param>
    public void AppendRange(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var batch = entries.ToList();
        foreach (var entry in batch)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
        }

        lock (_gate)
        {
            _entries.AddRange(batch);
        }
    }

    /// <summary>Copies the entries appended so far.</summary>
    /// <returns>The entries in acknowledgement order.</returns>
    public IReadOnlyList<LedgerEntry> Snapshot()
    {
        lock (_gate)
        {
            return _entries.ToArray();
        }
    }
}
