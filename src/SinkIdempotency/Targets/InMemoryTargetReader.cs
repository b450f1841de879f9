using System.Runtime.CompilerServices;

namespace SinkIdempotency.Targets;

/// <summary>Serves rows already held in memory, for targets read by other means and for tests.</summary>
/// <param name="rows">The rows to serve.</param>
/// <param name="description">The description used in reports.</param>
internal sealed class InMemoryTargetReader(IReadOnlyCollection<TargetRow> rows, string description = "in-memory rows") : ITargetReader
{
    /// <inheritdoc />
    public string Description { get; } = description;

    /// <summary>Gets the rows served.</summary>
    /// <value>The rows given to the constructor.</value>
    public IReadOnlyCollection<TargetRow> Rows { get; } = rows ?? throw new ArgumentNullException(nameof(rows));

    /// <inheritdoc />
    public async IAsyncEnumerable<TargetRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var row in Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
    }
}
