namespace SinkIdempotency.IntegrationTests.ForeignKafka;

/// <summary>Runs the known answers with librdkafka's mock cluster as the Kafka: a broker nobody on the project wrote must give the same verdicts.</summary>
/// <remarks>
/// The replay cases are skipped with the reason: the mock serves no DeleteGroups or OffsetDelete (and refuses offset commits
/// from outside a group that ever had members), so neither Connect's offsets API nor a consumer-group reset can rewind it.
/// </remarks>
[Collection<LibrdkafkaMockCollection>]
public sealed class LibrdkafkaMockKnownAnswerTests(LibrdkafkaMockFixture fixture) : KnownAnswerTests(fixture);
