using SinkIdempotency.Connect;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Scenarios;

/// <content>Removes what the run created, on every path, and writes the evidence and report files.</content>
internal sealed partial class ScenarioRun
{
    private async Task CleanupAsync()
    {
        _step = "cleanup";
        if (_options.KeepResources)
        {
            Mark($"kept the run's resources (connector {_names.Connector}, topic {_names.Topic}, table {_names.Table})");
            return;
        }

        // Cleanup runs even when the run was cancelled, so it gets its own deadline instead of the caller's token.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        var token = deadline.Token;
        if (_usedProxy && _sinkTarget?.Proxy is { } proxy)
        {
            await TryAsync("heal the target proxy", () =>
            {
                proxy.Pass();
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        }

        if (_createdConnector && _names.Owns(_names.Connector))
        {
            await TryAsync($"delete connector {_names.Connector}", () => _environment.DeleteConnectorAsync(_names.Connector, token)).ConfigureAwait(false);
        }

        // After the connector is gone, so a worker the fault added leaves without moving the run's tasks again.
        if (_scenario.Fault is { } fault && _faultContext is { } context)
        {
            context.Step = "cleanup";
            await TryAsync($"undo what {fault.Name} changed", () => fault.CleanupAsync(context, token)).ConfigureAwait(false);
        }

        if (_createdDeadLetterTopic && _deadLetterTopic is { } deadLetterTopic && _names.Owns(deadLetterTopic))
        {
            await TryAsync($"delete topic {deadLetterTopic}", () => _environment.DeleteTopicAsync(deadLetterTopic, token)).ConfigureAwait(false);
        }

        if (_createdTopic && _names.Owns(_names.Topic))
        {
            await TryAsync($"delete topic {_names.Topic}", () => _environment.DeleteTopicAsync(_names.Topic, token)).ConfigureAwait(false);
        }

        // The sink creates the table (auto.create); its name carries the run id, so dropping it touches nothing else.
        if (_createdConnector && _names.Owns(_names.Table) && _sinkTarget is { } target)
        {
            await TryAsync($"drop table {target.Schema}.{_names.Table}", () => target.DropTableAsync(target.Schema, _names.Table, token)).ConfigureAwait(false);
        }

        Mark(_cleanupErrors.Count == 0 ? "finished" : $"finished with {_cleanupErrors.Count} error(s)");
    }

    private async Task TryAsync(string what, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var message = SecretRedactor.RedactText($"Could not {what}: {ex.Message}");
            _cleanupErrors.Add(message);
            Mark(message);
        }
    }

    private async Task<(string? Evidence, string? Report)> WriteFilesAsync(ReconciliationReport? report, ReconciliationReport? before)
    {
        try
        {
            var folder = Path.Combine(_options.OutputDirectory, $"{_names.Slug}-{_names.RunId}");
            Directory.CreateDirectory(folder);
            var evidencePath = Path.Combine(folder, "evidence.json");
            await EvidenceJson.WriteAsync(
                new EvidenceDocument
                {
                    Scenario = _scenario.Name,
                    RunId = _names.RunId,
                    Environment = _environment.Name,
                    Fault = FaultName,
                    Connector = _names.Connector,
                    ConnectorConfig = SecretRedactor.RedactConfig(_config),
                    Events = _timeline.Snapshot(),
                },
                evidencePath).ConfigureAwait(false);
            string? reportPath = null;
            if (report is not null)
            {
                reportPath = Path.Combine(folder, "report.json");
                await File.WriteAllBytesAsync(reportPath, ReconciliationReportJson.ToUtf8Bytes(report)).ConfigureAwait(false);
            }

            if (before is not null)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, "report-before-fault.json"), ReconciliationReportJson.ToUtf8Bytes(before)).ConfigureAwait(false);
            }

            return (evidencePath, reportPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _cleanupErrors.Add(SecretRedactor.RedactText($"Could not write the evidence files under {_options.OutputDirectory}: {ex.Message}"));
            return (null, null);
        }
    }
}
