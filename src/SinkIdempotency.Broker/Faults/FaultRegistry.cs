namespace SinkIdempotency.Broker.Faults;

/// <summary>Holds the injected faults (in injection order) and the observers of every exchange.</summary>
internal sealed class FaultRegistry
{
    private readonly Lock _sync = new();
    private readonly List<BrokerFault> _faults = [];
    private readonly List<Action<BrokerExchange>> _observers = [];
    private BrokerFault[] _faultSnapshot = [];
    private Action<BrokerExchange>[] _observerSnapshot = [];

    /// <summary>Gets whether anything (a fault or an observer) needs to see requests.</summary>
    public bool IsActive => Volatile.Read(ref _faultSnapshot).Length > 0 || Volatile.Read(ref _observerSnapshot).Length > 0;

    public bool HasObservers => Volatile.Read(ref _observerSnapshot).Length > 0;

    public BrokerFault Add(BrokerFaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var fault = new BrokerFault(options, Remove);
        lock (_sync)
        {
            _faults.Add(fault);
            Volatile.Write(ref _faultSnapshot, [.. _faults]);
        }

        return fault;
    }

    public IDisposable AddObserver(Action<BrokerExchange> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_sync)
        {
            _observers.Add(observer);
            Volatile.Write(ref _observerSnapshot, [.. _observers]);
        }

        return new Subscription(this, observer);
    }

    /// <summary>Tells whether a request of this API could be acted on, so its facts must be parsed.</summary>
    public bool MayMatch(Protocol.ApiKey key)
    {
        foreach (var fault in Volatile.Read(ref _faultSnapshot))
        {
            if (fault.Options.ApiKey is null || fault.Options.ApiKey == key)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Finds the first fault that matches and still has room, and counts the match.</summary>
    public BrokerFault? Match(BrokerRequest request)
    {
        foreach (var fault in Volatile.Read(ref _faultSnapshot))
        {
            if (fault.CanMatch() && Matches(fault.Options, request) && fault.TryConsume())
            {
                return fault;
            }
        }

        return null;
    }

    public void Notify(BrokerExchange exchange)
    {
        foreach (var observer in Volatile.Read(ref _observerSnapshot))
        {
            observer(exchange);
        }
    }

    private static bool Matches(BrokerFaultOptions options, BrokerRequest request) =>
        (options.ApiKey is null || options.ApiKey == request.ApiKey)
        && (options.ClientId is null || options.ClientId == request.ClientId)
        && (options.GroupId is null || options.GroupId == request.GroupId)
        && (options.Topic is null || request.Topics.Contains(options.Topic, StringComparer.Ordinal))
        && (options.Predicate is null || options.Predicate(request));

    private void Remove(BrokerFault fault)
    {
        lock (_sync)
        {
            if (_faults.Remove(fault))
            {
                Volatile.Write(ref _faultSnapshot, [.. _faults]);
            }
        }
    }

    private void RemoveObserver(Action<BrokerExchange> observer)
    {
        lock (_sync)
        {
            if (_observers.Remove(observer))
            {
                Volatile.Write(ref _observerSnapshot, [.. _observers]);
            }
        }
    }

    private sealed class Subscription(FaultRegistry registry, Action<BrokerExchange> observer) : IDisposable
    {
        public void Dispose() => registry.RemoveObserver(observer);
    }
}
