using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace SinkIdempotency.Targets;

/// <summary>Computes order-independent checksums over target rows and produced records.</summary>
/// <remarks>
/// A checksum is the sum, modulo 2^64, of one XXH3-64 hash per row. Addition commutes, so the read order does not
/// matter, and unlike XOR a duplicated row changes the sum, so the checksum covers the multiset of rows.
/// </remarks>
internal static class TargetChecksum
{
    /// <summary>Hashes one target row over all of its fields.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The row's 64-bit hash.</returns>
    public static ulong HashRow(in TargetRow row)
    {
        var hash = HashText(row.EventId, 0x5EED_0001);
        hash = HashText(row.Key, hash);
        hash = Combine(hash, row.Version is { } version ? (ulong)version : 0x9E37_79B9_7F4A_7C15UL);
        hash = Combine(hash, row.ValueHash ?? 0xC2B2_AE3D_27D4_EB4FUL);
        if (row.Source is { } source)
        {
            hash = HashText(source.Topic, hash);
            hash = Combine(hash, (ulong)source.Partition);
            hash = Combine(hash, (ulong)source.Offset);
        }

        return hash;
    }

    /// <summary>Hashes a produced event by its id and content, the unit of the per-partition checksums in reports.</summary>
    /// <param name="eventId">The event id.</param>
    /// <param name="valueHash">The event's value hash.</param>
    /// <returns>The event's 64-bit hash.</returns>
    public static ulong HashEvent(string eventId, ulong valueHash) => HashText(eventId, valueHash);

    /// <summary>Computes the count and checksum of a set of rows.</summary>
    /// <param name="rows">The rows.</param>
    /// <returns>The count and the multiset checksum.</returns>
    public static TargetSummary Summarize(IEnumerable<TargetRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        long count = 0;
        ulong sum = 0;
        foreach (var row in rows)
        {
            count++;
            sum = unchecked(sum + HashRow(row));
        }

        return new TargetSummary(count, sum);
    }

    private static ulong HashText(string? text, ulong seed) =>
        text is null
            ? Combine(seed, 0xFFFF_FFFF_FFFF_FFFFUL)
            : XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()), unchecked((long)seed));

    // A multiply-xorshift mixer (the finaliser of MurmurHash3's 64-bit variant) is enough to combine already-hashed fields.
    private static ulong Combine(ulong seed, ulong value)
    {
        var hash = unchecked(seed ^ (value * 0x9E37_79B9_7F4A_7C15UL));
        hash = unchecked((hash ^ (hash >> 33)) * 0xFF51_AFD7_ED55_8CCDUL);
        hash = unchecked((hash ^ (hash >> 33)) * 0xC4CE_B9FE_1A85_EC53UL);
        return hash ^ (hash >> 33);
    }
}
