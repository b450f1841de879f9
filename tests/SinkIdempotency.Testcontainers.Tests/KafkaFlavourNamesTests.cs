namespace SinkIdempotency.Testcontainers.Tests;

public sealed class KafkaFlavourNamesTests
{
    [Theory]
    [InlineData("apache", KafkaFlavour.Apache)]
    [InlineData("Confluent", KafkaFlavour.Confluent)]
    [InlineData(" REDPANDA ", KafkaFlavour.Redpanda)]
    [InlineData("automq", KafkaFlavour.AutoMQ)]
    public void Parse_KnownNameInAnyCase_ReturnsTheFlavour(string name, KafkaFlavour expected) =>
        KafkaFlavourNames.Parse(name, "--kafka").Should().Be(expected);

    [Fact]
    public void Parse_UnknownName_ThrowsNamingTheSourceAndEveryFlavour()
    {
        var parse = () => KafkaFlavourNames.Parse("kafka", "SOME_VARIABLE");

        parse.Should().Throw<ArgumentException>().WithMessage("SOME_VARIABLE is 'kafka', which is not a Kafka flavour; use one of apache, confluent, redpanda, automq.*");
    }

    [Fact]
    public void NameOf_EveryFlavour_RoundTripsAndCoversTheEnum()
    {
        Enum.GetValues<KafkaFlavour>().Select(KafkaFlavourNames.NameOf).Should().Equal(KafkaFlavourNames.All);
        foreach (var flavour in Enum.GetValues<KafkaFlavour>())
        {
            KafkaFlavourNames.Parse(KafkaFlavourNames.NameOf(flavour), "test").Should().Be(flavour);
        }
    }

    [Fact]
    public void WithKafkaFrom_NoVariables_KeepsTheBuildersChoice()
    {
        var builder = new DockerEnvironmentBuilder().WithKafka(KafkaFlavour.Confluent, "registry.example/cp-kafka:7.9.0");

        var options = builder.WithKafkaFrom(_ => null).Options;

        options.Flavour.Should().Be(KafkaFlavour.Confluent);
        options.EffectiveKafkaImage.Should().Be("registry.example/cp-kafka:7.9.0");
    }

    [Fact]
    public void WithKafkaFrom_FlavourVariable_ChoosesThatFlavoursPinnedImage()
    {
        var variables = new Dictionary<string, string> { [DockerEnvironmentOptions.KafkaFlavourVariable] = "automq" };

        var options = new DockerEnvironmentBuilder().WithKafka(KafkaFlavour.Apache, "apache/kafka:3.9.1").WithKafkaFrom(variables.GetValueOrDefault).Options;

        options.Flavour.Should().Be(KafkaFlavour.AutoMQ);
        options.EffectiveKafkaImage.Should().Be(DockerImages.AutoMQ, "an image chosen for another flavour is dropped");
    }

    [Fact]
    public void WithKafkaFrom_ImageVariable_OverridesTheImage()
    {
        var variables = new Dictionary<string, string>
        {
            [DockerEnvironmentOptions.KafkaFlavourVariable] = "redpanda",
            [DockerEnvironmentOptions.KafkaImageVariable] = "redpandadata/redpanda:v25.1.1",
        };

        var options = new DockerEnvironmentBuilder().WithKafkaFrom(variables.GetValueOrDefault).Options;

        options.Flavour.Should().Be(KafkaFlavour.Redpanda);
        options.EffectiveKafkaImage.Should().Be("redpandadata/redpanda:v25.1.1");
    }

    [Fact]
    public void WithKafkaFrom_BadFlavourVariable_ThrowsNamingTheVariable()
    {
        var variables = new Dictionary<string, string> { [DockerEnvironmentOptions.KafkaFlavourVariable] = "pulsar" };

        var read = () => new DockerEnvironmentBuilder().WithKafkaFrom(variables.GetValueOrDefault);

        read.Should().Throw<ArgumentException>().WithMessage($"{DockerEnvironmentOptions.KafkaFlavourVariable} is 'pulsar'*");
    }
}
