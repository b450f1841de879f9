using SinkIdempotency.Environments;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Scenarios;

/// <content>Opens the run's target (the scenario's <see cref="ScenarioTarget.Kind"/>) and refuses a failure case it does not support.</content>
internal sealed partial class ScenarioRun
{
    private ISinkTarget SinkTarget => _sinkTarget ?? throw new InvalidOperationException("The run's target is not open yet.");

    /// <summary>Checks the scenario against the environment without running it: the target exists, supports the failure case, and no setting would be replaced.</summary>
    /// <exception cref="ScenarioConfigurationException">Thrown naming what to change.</exception>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (SkipReason() is null)
        {
            await OpenTargetAsync(cancellationToken).ConfigureAwait(false);
        }

        CheckSettings();
    }

    private async Task OpenTargetAsync(CancellationToken cancellationToken)
    {
        if (_sinkTarget is not null)
        {
            return;
        }

        var target = _scenario.Target;
        try
        {
            _sinkTarget = await _environment.GetTargetAsync(target.Kind, cancellationToken).ConfigureAwait(false);
        }
        catch (NotSupportedException ex)
        {
            throw new ScenarioConfigurationException("target.kind", $"Scenario '{_scenario.Name}' names target.kind {target.Kind}: {ex.Message}");
        }
        catch (EnvironmentStartException ex)
        {
            throw new ScenarioEnvironmentException($"Scenario '{_scenario.Name}' needs the {target.Kind} target, which the {_environment.Name} environment could not start: {ex.Message}", ex);
        }

        _target = _sinkTarget.OpenReader(target.Mapping with { Table = _names.Table, Schema = _sinkTarget.Schema });
    }

    private void CheckTargetSupports()
    {
        if (SinkTarget.ExplainUnsupported(_scenario) is { } why)
        {
            throw new ScenarioConfigurationException("target.kind", $"Scenario '{_scenario.Name}' cannot run the fault {FaultName} on its {SinkTarget.Kind} target: {why}");
        }
    }

    // Stands in for the reader until the target is open: a run never reads before it, a skipped run never reads at all.
    private sealed class EmptyTarget : ITargetReader
    {
        public static readonly EmptyTarget Instance = new();

        public string Description => "no target";

        public async IAsyncEnumerable<TargetRow> ReadRowsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            yield break;
        }
    }
}
