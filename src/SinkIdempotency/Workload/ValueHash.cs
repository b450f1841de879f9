using System.IO.Hashing;
using System.Text;

namespace SinkIdempotency.Workload;

/// <summary>Computes the 64-bit content hash that the ledger and the target readers compare.</summary>
/// <remarks>
/// The hash is XXH3-64 with seed 0, a published algorithm, so a hash written to a ledger file by one process
/// matches the hash a reader computes in another process or on another machine.
/// </remarks>
public static class ValueHash
{
    /// <summary>Hashes the given bytes.</summary>
    /// <param name="content">The bytes the target stores for a record (for example the payload's JSON text in UTF-8).</param>
    /// <returns>The XXH3-64 hash of the bytes.</returns>
    public static ulong Compute(ReadOnlySpan<byte> content) => XxHash3.HashToUInt64(content);

    /// <summary>Hashes the UTF-8 encoding of the given text.</summary>
    /// <param name="content">The text the target stores for a record.</param>
    /// <returns>The XXH3-64 hash of the text's UTF-8 bytes.</returns>
    public static ulong Compute(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var max = Encoding.UTF8.GetMaxByteCount(content.Length);
        if (max <= 512)
        {
            Span<byte> buffer = stackalloc byte[max];
            var written = Encoding.UTF8.GetBytes(content, buffer);
            return XxHash3.HashToUInt64(buffer[..written]);
        }

        return XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(content));
    }

    /// <summary>Formats a hash as the 16 lower-case hex digits used in ledger files and reports.</summary>
    /// <param name="hash">The hash to format.</param>
    /// <returns>The hash as 16 hex digits.</returns>
    public static string Format(ulong hash) => hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a hash written by <see cref="Format(ulong)"/>.</summary>
    /// <param name="text">Up to 16 hex digits.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="FormatException">Thrown when the text is not hex digits.</exception>
    public static ulong Parse(string text) =>
        ulong.Parse(text, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
}
