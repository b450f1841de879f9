using System.Net;
using System.Text.Json;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Connect;

/// <content>Polling helpers: wait until a connector reaches a state, with a deadline.</content>
public sealed partial class ConnectRestClient
{
    /// <summary>Polls a connector's status until <paramref name="condition"/> holds or <paramref name="timeout"/> passes.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="condition">The condition on the status; a connector that does not exist yet (404) never satisfies it.</param>
    /// <param name="expectation">A short description of the condition, used in the timeout message.</param>
    /// <param name="timeout">How long to poll.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first status that satisfied the condition.</returns>
    /// <exception cref="TimeoutException">The condition did not hold before the deadline; the message shows the last status seen.</exception>
    public async Task<ConnectorStatus> WaitForConnectorAsync(string name, Func<ConnectorStatus, bool> condition, string expectation, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        string lastSeen = "no answer yet";
        ConnectorStatus? satisfied = null;
        async Task<bool> Satisfied(CancellationToken token)
        {
            try
            {
                var status = await GetConnectorStatusAsync(name, token).ConfigureAwait(false);
                if (condition(status))
                {
                    satisfied = status;
                    return true;
                }

                lastSeen = JsonSerializer.Serialize(status, Json);
            }
            catch (ConnectRestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                lastSeen = $"404 {ex.ConnectMessage}";
            }

            return false;
        }

        return await Poll.UntilAsync(_options.TimeProvider, Satisfied, timeout, _options.PollInterval, cancellationToken).ConfigureAwait(false)
            ? satisfied!
            : throw new TimeoutException($"Connector '{name}' was not {expectation} within {timeout.TotalSeconds:0.#} s; last status: {lastSeen}");
    }

    /// <summary>Waits until the connector and exactly <paramref name="taskCount"/> tasks are RUNNING.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="taskCount">The exact number of running tasks expected.</param>
    /// <param name="timeout">How long to poll.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The status that satisfied the condition.</returns>
    public Task<ConnectorStatus> WaitForConnectorRunningAsync(string name, int taskCount, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForConnectorAsync(name, s => s.IsAll(ConnectorStates.Running, taskCount), $"RUNNING with {taskCount} RUNNING task(s)", timeout, cancellationToken);

    /// <summary>Waits until the connector and exactly <paramref name="taskCount"/> tasks are PAUSED.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="taskCount">The exact number of paused tasks expected.</param>
    /// <param name="timeout">How long to poll.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The status that satisfied the condition.</returns>
    public Task<ConnectorStatus> WaitForConnectorPausedAsync(string name, int taskCount, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForConnectorAsync(name, s => s.IsAll(ConnectorStates.Paused, taskCount), $"PAUSED with {taskCount} PAUSED task(s)", timeout, cancellationToken);

    /// <summary>Waits until the connector is STOPPED and has no tasks (Connect's precondition for altering offsets).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="timeout">How long to poll.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The status that satisfied the condition.</returns>
    public Task<ConnectorStatus> WaitForConnectorStoppedAsync(string name, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForConnectorAsync(name, s => s.Connector.State == ConnectorStates.Stopped && s.Tasks.Count == 0, "STOPPED with no tasks", timeout, cancellationToken);

    /// <summary>Waits until task <paramref name="task"/> of the connector is in <paramref name="state"/> (e.g. FAILED).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="task">The task number.</param>
    /// <param name="state">The state to wait for, one of <see cref="ConnectorStates"/>.</param>
    /// <param name="timeout">How long to poll.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The status that satisfied the condition.</returns>
    public Task<ConnectorStatus> WaitForTaskStateAsync(string name, int task, string state, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForConnectorAsync(name, s => s.Tasks.Any(t => t.Id == task && t.State == state), $"showing task {task} {state}", timeout, cancellationToken);

    /// <summary>Waits until the connector no longer exists (its status answers 404).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="timeout">How long to poll.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the connector is gone.</returns>
    /// <exception cref="TimeoutException">The connector still existed at the deadline.</exception>
    public async Task WaitForConnectorDeletedAsync(string name, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ConnectorStatus? last = null;
        async Task<bool> Gone(CancellationToken token)
        {
            try
            {
                last = await GetConnectorStatusAsync(name, token).ConfigureAwait(false);
                return false;
            }
            catch (ConnectRestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }

        if (!await Poll.UntilAsync(_options.TimeProvider, Gone, timeout, _options.PollInterval, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"Connector '{name}' still existed after {timeout.TotalSeconds:0.#} s; last status: {JsonSerializer.Serialize(last, Json)}");
        }
    }
}
