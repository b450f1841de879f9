using System.Globalization;

namespace SinkIdempotency.Scenarios;

/// <summary>Builds the poison records that convert and fail at the target, and the column constraints that make them fail.</summary>
/// <remarks>
/// A JDBC-style sink with <c>auto.create</c> makes <c>TEXT</c> and <c>BIGINT</c> columns that accept anything the
/// converter accepts. So, once the sink has created the run's table and before the first such poison record, the runner
/// narrows the columns as a team's hand-made table would: <c>payload varchar(n)</c> (n = the workload's payload size),
/// <c>payload NOT NULL</c>, <c>seq integer</c>. Good records fit (payloads are exactly n characters, sequences stay
/// below 2^31); the poison does not. This works whatever columns the sink added for its keys, for any sink that names
/// its columns after the record's fields (the reference sink and Confluent's JDBC sink both do).
/// </remarks>
internal static class TargetPoison
{
    /// <summary>What an out-of-range poison adds to its sequence number: beyond <c>int.MaxValue</c>, within <c>int64</c>.</summary>
    public const long OutOfRangeSeq = 3_000_000_000;

    /// <summary>The <c>varchar</c> length of the payload column: the workload's payload size (at least 1).</summary>
    public static int PayloadLimit(ScenarioWorkload workload) => Math.Max(workload.PayloadSize, 1);

    /// <summary>The <c>ALTER TABLE</c> clauses that make the given kinds fail, in a stable order.</summary>
    public static IReadOnlyList<string> Alterations(IEnumerable<PoisonKind> kinds, ScenarioWorkload workload)
    {
        var set = kinds.ToHashSet();
        var clauses = new List<string>();
        if (set.Contains(PoisonKind.TooLongForColumn))
        {
            clauses.Add(string.Create(CultureInfo.InvariantCulture, $"ALTER COLUMN \"payload\" TYPE varchar({PayloadLimit(workload)})"));
        }

        if (set.Contains(PoisonKind.NullInNotNullColumn))
        {
            clauses.Add("ALTER COLUMN \"payload\" SET NOT NULL");
        }

        if (set.Contains(PoisonKind.OutOfRangeNumber))
        {
            clauses.Add("ALTER COLUMN \"seq\" TYPE integer");
        }

        return clauses;
    }
}
