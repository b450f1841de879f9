namespace SinkIdempotency.Sink;

/// <summary>Describes one field of a struct schema.</summary>
/// <param name="Name">The field name.</param>
/// <param name="Index">The position of the field in its struct.</param>
/// <param name="Schema">The field's schema.</param>
public sealed record ConnectField(string Name, int Index, ConnectSchema Schema);
