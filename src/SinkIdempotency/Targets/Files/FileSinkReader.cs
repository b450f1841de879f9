using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Hashing;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Targets.Files;

/// <summary>
/// Reads the JSON-lines files a file / object-store sink wrote to a folder: one row per complete line of every <c>*.jsonl</c>
/// file, so a line appended twice is two rows and an object rewritten in place is read once.
/// </summary>
/// <remarks>
/// A line is either the worker file sink's record line (<c>{"topic":…,"partition":…,"offset":…,"key":…,"value":…}</c>, whose
/// coordinates become <see cref="TargetRow.Source"/>) or a bare record value, as the S3 sink's JSON format writes it.
/// Temporary files of unfinished objects (any other extension) and a last line without its newline are not read: the
/// target does not hold them yet.
/// <para>
/// A summary parses only what was appended to a file since the last summary: the bytes it parsed then are hashed
/// (XXH128) and must hash the same now, otherwise (a file rewritten or replaced by a rename) the whole file is parsed again.
/// </para>
/// </remarks>
public sealed class FileSinkReader : ITargetReader, IIncrementalSummary
{
    private const string FilePattern = "*.jsonl";

    // Files larger than this are summarized by streaming their rows, not read whole into memory.
    private const long MaxSummarizedInMemory = 64L << 20;

    private readonly ConcurrentDictionary<string, SummarizedPrefix> _prefixes = new(StringComparer.Ordinal);

    private readonly string _directory;
    private readonly JsonValueMapping _mapping;

    /// <summary>Initializes a reader of one folder.</summary>
    /// <param name="directory">The folder the sink writes to (its <c>file.directory</c>); read with its subfolders.</param>
    /// <param name="mapping">Which value fields hold the event id, key, version and hashed content; <see cref="JsonValueMapping.Default"/> when <see langword="null"/>.</param>
    public FileSinkReader(string directory, JsonValueMapping? mapping = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        _mapping = mapping ?? JsonValueMapping.Default;
        Description = $"JSON-lines files under {_directory}";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Lists the finished files the reader reads, in ordinal order of their paths.</summary>
    /// <returns>The full paths; empty when the folder does not exist yet.</returns>
    public IReadOnlyList<string> ListFiles()
    {
        if (!Directory.Exists(_directory))
        {
            return [];
        }

        var files = Directory.GetFiles(_directory, FilePattern, SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal))
            .ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TargetRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var file in ListFiles())
        {
            await foreach (var row in ReadFileRowsAsync(file, cancellationToken).ConfigureAwait(false))
            {
                yield return row;
            }
        }
    }

    /// <inheritdoc />
    async Task<TargetSummary> IIncrementalSummary.SummarizeAsync(CancellationToken cancellationToken)
    {
        var files = ListFiles();
        long count = 0;
        ulong sum = 0;
        foreach (var file in files)
        {
            var (c, s) = await SummarizeFileAsync(file, cancellationToken).ConfigureAwait(false);
            count += c;
            sum = unchecked(sum + s);
        }

        foreach (var gone in _prefixes.Keys.Except(files, StringComparer.Ordinal))
        {
            _prefixes.TryRemove(gone, out _);
        }

        return new TargetSummary(count, sum);
    }

    private async Task<(long Count, ulong Sum)> SummarizeFileAsync(string file, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            if (new FileInfo(file).Length > MaxSummarizedInMemory)
            {
                _prefixes.TryRemove(file, out _);
                var summary = await SummarizeRowsAsync(ReadFileRowsAsync(file, cancellationToken)).ConfigureAwait(false);
                return (summary.RowCount, summary.Checksum);
            }

            bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            // Replaced by an atomic rename between listing and opening, as ReadRowsAsync skips it.
            return (0, 0);
        }

        var hasher = new XxHash128();
        var start = 0;
        long count = 0;
        ulong sum = 0;
        if (_prefixes.TryGetValue(file, out var known) && known.Length <= bytes.Length)
        {
            hasher.Append(bytes.AsSpan(0, known.Length));
            if (hasher.GetCurrentHashAsUInt128() == known.Hash)
            {
                (start, count, sum) = (known.Length, known.Count, known.Sum);
            }
            else
            {
                hasher.Reset();
            }
        }

        var consumed = start;
        while (bytes.AsSpan(consumed).IndexOf((byte)'\n') is var newline and >= 0)
        {
            var line = bytes.AsMemory(consumed, newline);
            if (!IsBlank(line.Span))
            {
                count++;
                sum = unchecked(sum + TargetChecksum.HashRow(ParseLine(new ReadOnlySequence<byte>(line))));
            }

            consumed += newline + 1;
        }

        hasher.Append(bytes.AsSpan(start, consumed - start));
        _prefixes[file] = new SummarizedPrefix(consumed, hasher.GetCurrentHashAsUInt128(), count, sum);
        return (count, sum);
    }

    private static async Task<TargetSummary> SummarizeRowsAsync(IAsyncEnumerable<TargetRow> rows)
    {
        long count = 0;
        ulong sum = 0;
        await foreach (var row in rows.ConfigureAwait(false))
        {
            count++;
            sum = unchecked(sum + TargetChecksum.HashRow(row));
        }

        return new TargetSummary(count, sum);
    }

    private async IAsyncEnumerable<TargetRow> ReadFileRowsAsync(string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            // Replaced by an atomic rename between listing and opening; the new object is read under its own name if it is listed.
            yield break;
        }

        await using (stream.ConfigureAwait(false))
        {
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 1 << 16, leaveOpen: true));
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var buffer = result.Buffer;
                    var rows = new List<TargetRow>();
                    while (TryReadLine(ref buffer, out var line))
                    {
                        if (!IsBlank(line))
                        {
                            rows.Add(ParseLine(line));
                        }
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                    foreach (var row in rows)
                    {
                        yield return row;
                    }

                    if (result.IsCompleted)
                    {
                        break;
                    }
                }
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    internal TargetRow ParseLine(ReadOnlySequence<byte> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out var value))
            {
                return JsonValueFields.ToRow(value, _mapping, Source(root));
            }

            return JsonValueFields.ToRow(root, _mapping, null);
        }
        catch (JsonException)
        {
            return new TargetRow(null);
        }
    }

    private static SourcePosition? Source(JsonElement root) =>
        root.TryGetProperty("topic", out var topic) && topic.ValueKind == JsonValueKind.String
        && root.TryGetProperty("partition", out var partition) && partition.TryGetInt32(out var p)
        && root.TryGetProperty("offset", out var offset) && offset.TryGetInt64(out var o)
            ? new SourcePosition(topic.GetString()!, p, o)
            : null;

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            if (!IsBlank(segment.Span))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \r\t"u8) < 0;

    // What a summary parsed of a file: its first Length bytes (complete lines), their hash, and their rows' count and checksum.
    private sealed record SummarizedPrefix(int Length, UInt128 Hash, long Count, ulong Sum);
}
