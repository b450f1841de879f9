using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="SchemaBreak"/>.</summary>
public sealed record SchemaBreakOptions
{
    /// <summary>Gets how the poison records are malformed.</summary>
    /// <value><see cref="PoisonKind.TypeChange"/>.</value>
    public PoisonKind Kind { get; init; } = PoisonKind.TypeChange;

    /// <summary>Gets where the first poison record sits, as a share of the workload.</summary>
    /// <value>0.5: in the middle of good records.</value>
    public double Position { get; init; } = 0.5;

    /// <summary>Gets the number of poison records, placed one after another from <see cref="Position"/>.</summary>
    /// <value>1.</value>
    public int Count { get; init; } = 1;

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        if (Position is < 0 or >= 1 || double.IsNaN(Position))
        {
            throw new ArgumentOutOfRangeException(nameof(Position), Position, "Use a share of the workload from 0 (inclusive) to 1 (exclusive).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Count, 1, nameof(Count));
        if (!Enum.IsDefined(Kind) || Kind == PoisonKind.Custom)
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Use TypeChange, MissingEnvelope, GarbageBytes, TooLongForColumn, NullInNotNullColumn or OutOfRangeNumber.");
        }
    }
}
