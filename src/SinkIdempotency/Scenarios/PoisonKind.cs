namespace SinkIdempotency.Scenarios;

/// <summary>Names how a poison record is malformed: the first three fail in Connect's converter, the next three convert and fail at the target.</summary>
public enum PoisonKind
{
    /// <summary>The envelope declares the version field as a string and the payload holds text where the schema says <c>int64</c>: a type change.</summary>
    TypeChange,

    /// <summary>Plain JSON without the <c>schema</c>/<c>payload</c> envelope, which <c>JsonConverter</c> with <c>schemas.enable=true</c> rejects.</summary>
    MissingEnvelope,

    /// <summary>Bytes that are not JSON at all (followed by the record's event id in ASCII, so a dead-letter record without context headers can still be matched).</summary>
    GarbageBytes,

    /// <summary>A record that converts, whose <c>payload</c> is longer than the run's table allows: the runner makes that column <c>varchar(n)</c> before the poison is produced.</summary>
    TooLongForColumn,

    /// <summary>A record that converts (its envelope declares <c>payload</c> optional) with a null <c>payload</c>: the runner makes that column <c>NOT NULL</c> before the poison is produced.</summary>
    NullInNotNullColumn,

    /// <summary>A record that converts whose <c>seq</c> (an <c>int64</c> in the envelope) is beyond 32 bits: the runner makes that column <c>integer</c> before the poison is produced.</summary>
    OutOfRangeNumber,

    /// <summary>A record whose value bytes a team's own fault writes (<see cref="PoisonRecord.Value"/>).</summary>
    Custom,
}
