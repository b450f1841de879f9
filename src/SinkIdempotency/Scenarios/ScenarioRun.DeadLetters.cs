using System.Globalization;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Scenarios;

/// <content>Finds the connector's dead-letter topic in its effective configuration, whatever its name, and reads the run's records from it.</content>
internal sealed partial class ScenarioRun
{
    private const string DeadLetterTopicKey = "errors.deadletterqueue.topic.name";

    // The run's own dead-letter topic (${dlq}, or any name in its namespace) is created here so Connect's reporter finds
    // it, with one partition, instead of creating it with its default replication factor of 3; a topic of the team's is
    // only read, never created or deleted.
    private async Task CreateDeadLetterTopicAsync(CancellationToken cancellationToken)
    {
        _deadLetterTopic = _config.TryGetValue(DeadLetterTopicKey, out var topic) && !string.IsNullOrWhiteSpace(topic) ? topic.Trim() : null;
        if (_deadLetterTopic is { } owned && _names.Owns(owned))
        {
            await _environment.CreateTopicAsync(owned, 1, cancellationToken).ConfigureAwait(false);
            _createdDeadLetterTopic = true;
        }
    }

    private async Task ReadEffectiveDeadLetterTopicAsync(CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string>? effective;
        try
        {
            effective = await _environment.GetConnectorConfigAsync(_names.Connector, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Mark($"could not read the connector's configuration back from Connect ({ex.Message}); the dead-letter topic is taken from the configuration sent");
            effective = null;
        }

        if (effective is not null)
        {
            var reported = effective.TryGetValue(DeadLetterTopicKey, out var topic) && !string.IsNullOrWhiteSpace(topic) ? topic.Trim() : null;
            if (reported != _deadLetterTopic)
            {
                Mark($"Connect reports {DeadLetterTopicKey}={reported ?? "(none)"}, not {_deadLetterTopic ?? "(none)"} as sent; the run reads {reported ?? "no dead-letter topic"}");
                _deadLetterTopic = reported;
            }
        }

        if (_deadLetterTopic is not null)
        {
            Mark($"dead-letter topic {_deadLetterTopic} ({(_createdDeadLetterTopic ? "created by the run" : "the team's; read, never created or deleted")})");
        }
    }

    private async Task<IReadOnlyList<DeadLetterRecord>> ReadDeadLettersAsync(CancellationToken cancellationToken)
    {
        if (_deadLetterTopic is not { } topic)
        {
            return [];
        }

        var records = await _environment.ReadDeadLetterTopicAsync(topic, cancellationToken).ConfigureAwait(false);
        if (records is null)
        {
            return [.. (await _environment.ReadDeadLettersAsync(topic, cancellationToken).ConfigureAwait(false)).Where(d => d.Source.Topic == _names.Topic)];
        }

        var (matched, unidentified) = DeadLetterMatcher.Match(records, _names.Topic, _ledger.Snapshot(), _topicCreatedAt);
        if (unidentified > 0)
        {
            Mark(string.Create(CultureInfo.InvariantCulture, $"{unidentified} record(s) of {topic} name no source: no context headers and no event id of this run in their value"));
        }

        return matched;
    }
}
