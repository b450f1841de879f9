namespace SinkIdempotency.Faults;

/// <summary>Reads a fault's settings by key from wherever a fault is described (a scenario file, a command line), checking each value's range.</summary>
/// <remarks>Every method returns <see langword="null"/> for a key that is absent, so the fault's documented default applies, and throws with the key and what to change for a value out of range.</remarks>
public interface IFaultSettings
{
    /// <summary>Reads a whole number.</summary>
    /// <param name="key">The key.</param>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed.</param>
    /// <returns>The number, or <see langword="null"/> when the key is absent.</returns>
    int? Int(string key, int min, int max);

    /// <summary>Reads a number.</summary>
    /// <param name="key">The key.</param>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed (or the bound it must stay below).</param>
    /// <param name="maxExclusive">Whether <paramref name="max"/> itself is refused.</param>
    /// <returns>The number, or <see langword="null"/> when the key is absent.</returns>
    double? Double(string key, double min, double max, bool maxExclusive);

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value, or <see langword="null"/> when the key is absent.</returns>
    bool? Bool(string key);

    /// <summary>Reads a positive duration (<c>500ms</c>, <c>30s</c>, <c>2m</c>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The duration, or <see langword="null"/> when the key is absent.</returns>
    TimeSpan? Duration(string key);

    /// <summary>Reads one of a few names.</summary>
    /// <param name="key">The key.</param>
    /// <param name="what">What the names are, for the error message (<c>poison kind</c>).</param>
    /// <param name="names">The names allowed.</param>
    /// <returns>The name, or <see langword="null"/> when the key is absent.</returns>
    string? OneOf(string key, string what, IReadOnlyList<string> names);
}
