namespace SinkIdempotency.Testcontainers.Vendors;

/// <summary>Finds the <see cref="IKafkaVendor"/> of each <see cref="KafkaFlavour"/>.</summary>
internal static class KafkaVendors
{
    private static readonly IKafkaVendor[] All = [new ApacheKafkaVendor(), new ConfluentKafkaVendor(), new RedpandaVendor(), new AutoMQVendor()];

    /// <summary>Returns the vendor of a flavour.</summary>
    /// <param name="flavour">The flavour.</param>
    /// <returns>Its vendor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The flavour is not one of <see cref="KafkaFlavour"/>'s values.</exception>
    public static IKafkaVendor For(KafkaFlavour flavour) =>
        Array.Find(All, vendor => vendor.Flavour == flavour)
        ?? throw new ArgumentOutOfRangeException(nameof(flavour), flavour, "Unknown Kafka flavour.");
}
