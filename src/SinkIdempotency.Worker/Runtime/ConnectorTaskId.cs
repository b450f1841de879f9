namespace SinkIdempotency.Worker.Runtime;

/// <summary>Identifies one task of one connector, formatted as Connect does (<c>name-0</c>).</summary>
internal readonly record struct ConnectorTaskId(string Connector, int Task)
{
    public override string ToString() => $"{Connector}-{Task}";
}
