namespace SinkIdempotency.Testcontainers;

/// <summary>Names the <see cref="KafkaFlavour"/> values in command lines and environment variables: <c>apache</c>, <c>confluent</c>, <c>redpanda</c>, <c>automq</c>.</summary>
public static class KafkaFlavourNames
{
    private static readonly (string Name, KafkaFlavour Flavour)[] Known =
    [
        ("apache", KafkaFlavour.Apache),
        ("confluent", KafkaFlavour.Confluent),
        ("redpanda", KafkaFlavour.Redpanda),
        ("automq", KafkaFlavour.AutoMQ),
    ];

    /// <summary>Gets every flavour name, in the order of <see cref="KafkaFlavour"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Known.Select(k => k.Name)];

    /// <summary>Returns the name of a flavour.</summary>
    /// <param name="flavour">The flavour.</param>
    /// <returns>Its lower-case name.</returns>
    public static string NameOf(KafkaFlavour flavour) =>
        Known.FirstOrDefault(k => k.Flavour == flavour).Name
        ?? throw new ArgumentOutOfRangeException(nameof(flavour), flavour, "Unknown Kafka flavour.");

    /// <summary>Reads a flavour name, ignoring case.</summary>
    /// <param name="name">The name, e.g. <c>redpanda</c>.</param>
    /// <param name="source">What the name came from, for the error message, e.g. <c>--kafka</c>.</param>
    /// <returns>The flavour.</returns>
    /// <exception cref="ArgumentException">The name is none of <see cref="All"/>; the message lists them.</exception>
    public static KafkaFlavour Parse(string name, string source)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (known, flavour) in Known)
        {
            if (string.Equals(known, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return flavour;
            }
        }

        throw new ArgumentException($"{source} is '{name}', which is not a Kafka flavour; use one of {string.Join(", ", All)}.", nameof(name));
    }
}
