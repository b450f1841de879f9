using SinkIdempotency.Testcontainers.Vendors;

namespace SinkIdempotency.Testcontainers.Tests.Vendors;

public sealed class KafkaVendorsTests
{
    [Fact]
    public void For_EveryFlavour_ReturnsTheVendorOfThatFlavourWithItsPinnedImage()
    {
        var vendors = Enum.GetValues<KafkaFlavour>().Select(KafkaVendors.For).ToList();

        vendors.Select(v => v.Flavour).Should().Equal(Enum.GetValues<KafkaFlavour>());
        vendors.Select(v => v.DefaultImage).Should().Equal(DockerImages.ApacheKafka, DockerImages.ConfluentKafka, DockerImages.Redpanda, DockerImages.AutoMQ);
        vendors.Select(v => v.Broker(new DockerEnvironmentOptions { Flavour = v.Flavour }).Image).Should().Equal(vendors.Select(v => v.DefaultImage));
    }

    [Fact]
    public void For_UndefinedFlavour_ThrowsNamingTheValue()
    {
        var act = () => KafkaVendors.For((KafkaFlavour)42);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Unknown Kafka flavour.*42*");
    }

    [Theory]
    [InlineData(KafkaFlavour.Apache)]
    [InlineData(KafkaFlavour.Confluent)]
    [InlineData(KafkaFlavour.Redpanda)]
    [InlineData(KafkaFlavour.AutoMQ)]
    public void Broker_ChosenImage_OverridesTheVendorDefault(KafkaFlavour flavour)
    {
        var spec = KafkaVendors.For(flavour).Broker(new DockerEnvironmentOptions { Flavour = flavour, KafkaImage = "mirror.example/kafka:1" });

        spec.Image.Should().Be("mirror.example/kafka:1");
        spec.NetworkAliases.Should().Equal("kafka");
    }
}
