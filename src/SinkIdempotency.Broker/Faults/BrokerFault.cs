namespace SinkIdempotency.Broker.Faults;

/// <summary>Controls one injected fault: counts its matches, releases held requests and removes it.</summary>
/// <remarks>Disposing the fault removes it and releases any request it holds.</remarks>
public sealed class BrokerFault : IDisposable
{
    private readonly Lock _sync = new();
    private readonly Action<BrokerFault> _remove;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _matches;
    private bool _removed;

    internal BrokerFault(BrokerFaultOptions options, Action<BrokerFault> remove)
    {
        Options = options;
        _remove = remove;
    }

    /// <summary>Gets the options the fault was injected with.</summary>
    public BrokerFaultOptions Options { get; }

    /// <summary>Gets how many requests the fault has acted on so far.</summary>
    public int MatchCount
    {
        get
        {
            lock (_sync)
            {
                return _matches;
            }
        }
    }

    /// <summary>Gets whether the fault no longer acts on requests (used up or removed).</summary>
    public bool IsRemoved
    {
        get
        {
            lock (_sync)
            {
                return _removed;
            }
        }
    }

    internal Task ReleasedTask => _released.Task;

    /// <summary>Waits until the fault has acted on at least <paramref name="count"/> requests.</summary>
    public Task WaitForMatchesAsync(int count = 1, CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            if (_matches >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Releases every request the fault holds and removes the fault, so later requests pass.</summary>
    public void Release()
    {
        Remove();
        _released.TrySetResult();
    }

    /// <summary>Removes the fault and releases the requests it holds.</summary>
    public void Dispose() => Release();

    /// <summary>Counts a match if the fault is still active; returns false when it is used up or removed.</summary>
    internal bool TryConsume()
    {
        List<TaskCompletionSource>? ready = null;
        bool exhausted;
        lock (_sync)
        {
            if (_removed)
            {
                return false;
            }

            _matches++;
            exhausted = Options.Times > 0 && _matches >= Options.Times;
            if (exhausted && Options.Action != BrokerFaultAction.Hold)
            {
                _removed = true;
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_matches >= _waiters[i].Count)
                {
                    (ready ??= []).Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        if (exhausted)
        {
            // A used-up Hold stays registered (so Release still works) but no longer matches.
            _remove(this);
        }

        ready?.ForEach(s => s.TrySetResult());
        return true;
    }

    /// <summary>Tells whether the fault has room for another match (held faults count their holds).</summary>
    internal bool CanMatch()
    {
        lock (_sync)
        {
            return !_removed && (Options.Times == 0 || _matches < Options.Times);
        }
    }

    private void Remove()
    {
        lock (_sync)
        {
            _removed = true;
        }

        _remove(this);
    }
}
