using System.Text;
using System.Text.Json;
using CsCheck;
using SinkIdempotency.Connect;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Tests.Scenarios.Support;

namespace SinkIdempotency.Tests.Connect;

/// <summary>Generates texts and configurations holding secrets in every shape the redactor promises, and checks that each secret goes and nothing else changes.</summary>
public sealed class SecretRedactorPropertyTests
{
    // Secret keys in the spellings configs, connection strings and environments use.
    private static readonly string[] SecretKeys =
    [
        "password", "Password", "Pwd", "connection.password", "sasl.password", "ssl.keystore.password", "ssl.key.password", "basic.auth.user.info",
        "value.converter.basic.auth.user.info", "api.key", "client.secret", "token", "aws.secret.access.key", "consumer.override.sasl.jaas.config",
    ];

    // Ordinary words, including the ones a password may equal ("x", "e", "connect") and shapes that look like secrets but are not.
    private static readonly string[] PlainWords =
    [
        "The", "external", "environment", "could", "not", "start:", "x", "e", "connect", "Failed", "to", "password", "token", "secret", "auth",
        "key=order-1", "topics=orders", "connection.user=app", "http://connect:8083/connectors", "Content-Type: application/json", "(", "done.",
        "12:30:01", "jdbc:postgresql://db:5432/app", "{\"topics\": \"orders\"}", "Basic", "user@example.test", "a=b;c=d", "ssl.client.auth.mode",
    ];

    private static readonly Gen<string> Segment = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[6].Select(c => new string(c));

    /// <summary>A secret of three random 6-character segments joined by separators drawn from <paramref name="separators"/> (or nothing).</summary>
    private static Gen<string> Secret(string separators) =>
        Gen.Select(Segment, Segment, Segment, Gen.OneOf<string>(["", .. separators.Select(c => c.ToString())]), Gen.OneOf<string>(["", .. separators.Select(c => c.ToString())]))
            .Select(t => t.Item1 + t.Item4 + t.Item2 + t.Item5 + t.Item3);

    /// <summary>One piece of text and what it must read after redaction.</summary>
    private static readonly Gen<(string Text, string Expected, string[] Secrets)> Piece = Gen.Frequency(
        (4, Gen.OneOf<string>(PlainWords).Select(w => (w, w, Array.Empty<string>()))),
        (1, Gen.Select(Gen.OneOf<string>(SecretKeys), Secret("!#$%*+-./:=?@^_~")).Select(t => ($"{t.Item1}={t.Item2}", $"{t.Item1}={SecretRedactor.Redacted}", new[] { t.Item2 }))),
        (1, Gen.Select(Gen.OneOf<string>(SecretKeys), Secret(" ;&,')=:@/")).Select(t => ($"{t.Item1}=\"{t.Item2}\"", $"{t.Item1}=\"{SecretRedactor.Redacted}\"", new[] { t.Item2 }))),
        (1, Gen.Select(Gen.OneOf<string>(SecretKeys), Secret(" ;&,\")=")).Select(t => ($"{t.Item1} = '{t.Item2}'", $"{t.Item1} = '{SecretRedactor.Redacted}'", new[] { t.Item2 }))),
        (1, Gen.Select(Gen.OneOf<string>("https", "postgres", "http"), Segment, Secret("!$&'()*+,;=:@")).Select(t => ($"{t.Item1}://{t.Item2}:{t.Item3}@db.internal:5432/app", $"{t.Item1}://{t.Item2}:{SecretRedactor.Redacted}@db.internal:5432/app", new[] { t.Item3 }))),
        (1, Gen.Select(Gen.OneOf<string>("Basic ", "Bearer ", string.Empty), Secret("!#$%*+-./:=?@^_~")).Select(t => ($"Authorization: {t.Item1}{t.Item2}", $"Authorization: {t.Item1}{SecretRedactor.Redacted}", new[] { t.Item2 }))),
        (1, Gen.Select(Gen.OneOf<string>(SecretKeys), Secret(" \"\\;&,'{}:=")).Select(t => ($"{JsonSerializer.Serialize(t.Item1)}: {JsonSerializer.Serialize(t.Item2)}", $"{JsonSerializer.Serialize(t.Item1)}: \"{SecretRedactor.Redacted}\"", new[] { t.Item2 }))),
        (1, Secret("!#$%*+-./:=?@^_~").Select(s => ($"Host=db;Username=app;Password={s};Database=sinks", $"Host=db;Username=app;Password={SecretRedactor.Redacted};Database=sinks", new[] { s }))));

    [Fact]
    public void RedactText_SecretsInEveryShapeAmongPlainWords_RemovesExactlyTheSecrets()
    {
        Piece.Array[1, 12].Sample(pieces =>
        {
            var text = string.Join(' ', pieces.Select(p => p.Text));
            var expected = string.Join(' ', pieces.Select(p => p.Expected));

            var redacted = SecretRedactor.RedactText(text);

            redacted.Should().Be(expected, "only the secrets change in: {0}", text);
        }, iter: 2000);
    }

    [Fact]
    public void RunAsync_GeneratedConnectorSecrets_NeverReachEvidenceReportsLogsOrMessages()
    {
        var anyCharacter = Secret(" \"\\;&,'{}:=@/\t");
        var unquoted = Secret("!#$%*+-./:=?@^_~");
        // connection.password belongs to the environment (a scenario that sets its own is refused before the run), so it is not a connector secret here.
        var connectorKeys = SecretKeys.Where(k => k != "connection.password").ToArray();
        var cases = Gen.Select(Gen.OneOf<string>(connectorKeys).Array[1, 5], anyCharacter.Array[5], unquoted.Array[2], Segment.Array[3]);

        cases.Sample(c =>
        {
            var (keys, values, unquotedSecrets, plain) = c;
            var (cleanupPassword, loggedUserInfo) = (unquotedSecrets[0], unquotedSecrets[1]);
            var connector = new Dictionary<string, string>(ScenarioFixtures.Insert)
            {
                ["http.url"] = $"https://svc:{Uri.EscapeDataString(values[^1])}@hooks.internal/x",
                ["plain.one"] = plain[0],
                ["plain.two"] = $"{plain[1]} {plain[2]}",
            };
            var secrets = new List<string> { cleanupPassword, loggedUserInfo };
            for (var i = 0; i < keys.Length; i++)
            {
                connector[keys[i]] = values[i];
                secrets.Add(values[i]);
            }

            secrets.Add(values[^1]);
            using var folder = new TempFolder();
            var options = new SimulatedOptions
            {
                // Workers print the configuration as JSON and the cleanup fails with a connection string in its message.
                ConnectorLog = created => [$"Creating connector with config {JsonSerializer.Serialize(created)}", $"basic.auth.user.info={loggedUserInfo} set"],
                DropTableFailure = $"could not connect with Host=db;Username=app;Password={cleanupPassword};Database=sinks",
            };
            var environment = new SimulatedEnvironment(options);
            ScenarioResult result;
            try
            {
                result = new ScenarioRunner(environment, ScenarioFixtures.Options(folder.Path))
                    .RunAsync(ScenarioFixtures.Make("secrets", connector, DeclaredSemantics.AtLeastOnce, records: 60), TestContext.Current.CancellationToken)
                    .GetAwaiter().GetResult();
            }
            finally
            {
                environment.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            var written = new StringBuilder();
            foreach (var file in Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories))
            {
                written.AppendLine(File.ReadAllText(file));
            }

            var everything = written.Append(result.Summarize()).AppendJoin('\n', result.CleanupErrors).AppendJoin('\n', result.Reasons).ToString();
            result.CleanupErrors.Should().ContainSingle().Which.Should().Contain("Password=[redacted];Database=sinks", "the message stays readable");
            foreach (var secret in secrets)
            {
                foreach (var segment in SegmentsOf(secret))
                {
                    everything.Should().NotContain(segment, "no part of a secret may be written");
                }
            }

            var evidence = EvidenceJson.Parse(File.ReadAllText(result.EvidencePath!));
            evidence.ConnectorConfig["plain.one"].Should().Be(plain[0]);
            evidence.ConnectorConfig["plain.two"].Should().Be($"{plain[1]} {plain[2]}");
            evidence.Events.OfType<WorkerLogEvidence>().SelectMany(e => e.Lines).Should().Contain(l => l.Contains("Creating connector with config {", StringComparison.Ordinal));
        }, iter: 6, threads: 1);
    }

    private static IEnumerable<string> SegmentsOf(string secret) =>
        secret.Split([' ', '"', '\\', ';', '&', ',', '\'', '{', '}', ':', '=', '@', '/', '\t', '!', '#', '$', '%', '*', '+', '-', '.', '?', '^', '_', '~'], StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.Length >= 6);
}
