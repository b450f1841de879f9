using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Runs the known answers on the embedded environment: in-process broker, worker processes, local PostgreSQL.</summary>
public sealed class EmbeddedKnownAnswerTests(EmbeddedEnvironmentFixture fixture) : KnownAnswerTests(fixture), IClassFixture<EmbeddedEnvironmentFixture>;
