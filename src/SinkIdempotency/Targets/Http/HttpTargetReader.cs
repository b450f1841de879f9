using System.Runtime.CompilerServices;
using System.Text;

namespace SinkIdempotency.Targets.Http;

/// <summary>Reads the records an <see cref="HttpTargetServer"/> applied: one row per applied request, so a request applied twice is two rows.</summary>
/// <remarks>Requests the server did not apply (failed, rejected, or repeats of an honoured idempotency key) are not rows: the target does not hold them.</remarks>
public sealed class HttpTargetReader : ITargetReader
{
    private const int PageSize = 4096;

    private readonly HttpTargetServer _server;
    private readonly JsonValueMapping _mapping;
    private readonly string? _path;

    // The row of each record already read: a server's records never change once applied, so a poll parses only the records
    // applied since the last one (the watch and settle loops read the whole target every few milliseconds).
    private readonly ConditionalWeakTable<HttpTargetRecord, StrongBox<TargetRow>> _rows = [];

    /// <summary>Initializes a reader of one server's applied records.</summary>
    /// <param name="server">The server.</param>
    /// <param name="mapping">Which body fields hold the event id, key, version and hashed content; <see cref="JsonValueMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="path">The request path whose records are read (<see cref="HttpTargetRecord.Path"/>), or <see langword="null"/> for every path.</param>
    public HttpTargetReader(HttpTargetServer server, JsonValueMapping? mapping = null, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
        _mapping = mapping ?? JsonValueMapping.Default;
        _path = path;
        Description = path is null ? $"HTTP target server at {server.Url}" : $"HTTP target server at {server.Url} path {path}";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async IAsyncEnumerable<TargetRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);

        // Pages of the server's lists, not a copy of them: a read costs its rows, whatever else the server holds.
        var page = new HttpTargetRecord[PageSize];
        for (var position = 0; ; )
        {
            var count = _server.CopyRecords(_path, position, page);
            if (count == 0)
            {
                yield break;
            }

            position += count;
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return RowOf(page[i]);
            }
        }
    }

    private TargetRow RowOf(HttpTargetRecord record)
    {
        if (_rows.TryGetValue(record, out var known))
        {
            return known.Value;
        }

        var row = JsonValueFields.ToRow(Encoding.UTF8.GetBytes(record.Body), _mapping, record.Source);
        _rows.AddOrUpdate(record, new StrongBox<TargetRow>(row));
        return row;
    }
}
