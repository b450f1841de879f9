namespace SinkIdempotency.Worker.Tests.Support;

/// <summary>A thread-safe, ordered list of what happened, shared by the fakes so tests can assert the order of calls.</summary>
internal sealed class EventLog
{
    private readonly List<string> _events = [];

    public IReadOnlyList<string> Snapshot()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    public void Add(string e)
    {
        lock (_events)
        {
            _events.Add(e);
        }
    }

    public int IndexOf(Func<string, bool> match, int from = 0)
    {
        var snapshot = Snapshot();
        for (var i = from; i < snapshot.Count; i++)
        {
            if (match(snapshot[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public override string ToString() => string.Join("\n", Snapshot());
}
