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
/// A read parses only what was appended to a file since the last read: the rows of the bytes it parsed then are kept with
/// those bytes' hash (XXH128), which must be the hash of the same bytes now, otherwise (a file rewritten, or replaced by a
/// rename) the whole file is parsed again. Only files up to 16 MiB and up to 64 MiB of them in all are kept; larger ones
/// are streamed each time. The watch and settle loops read the whole target every few milliseconds.
/// </para>
/// </remarks>
public sealed class FileSinkReader : ITargetReader, IIncrementalSummary
{
    private const string FilePattern = "*.jsonl";

    // A file larger than this is streamed, not read whole and kept; nor is one that would take the kept bytes past MaxKeptBytes.
    private const long MaxKeptFile = 16L << 20;
    private const long MaxKeptBytes = 64L << 20;

    private readonly ConcurrentDictionary<string, ParsedPrefix> _parsed = new(StringComparer.Ordinal);
    private readonly Lock _keptGate = new();
    private long _keptBytes;

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
        var files = ListFiles();
        foreach (var file in files)
        {
            if (await ParseSmallFileAsync(file, cancellationToken).ConfigureAwait(false) is { } parsed)
            {
                foreach (var row in parsed.Rows)
                {
                    yield return row;
                }

                continue;
            }

            await foreach (var row in ReadFileRowsAsync(file, cancellationToken).ConfigureAwait(false))
            {
                yield return row;
            }
        }

        Forget(files);
    }

    /// <inheritdoc />
    async Task<TargetSummary> IIncrementalSummary.SummarizeAsync(CancellationToken cancellationToken)
    {
        var files = ListFiles();
        long count = 0;
        ulong sum = 0;
        foreach (var file in files)
        {
            if (await ParseSmallFileAsync(file, cancellationToken).ConfigureAwait(false) is { } parsed)
            {
                count += parsed.Rows.Length;
                sum = unchecked(sum + parsed.Sum);
                continue;
            }

            var streamed = await SummarizeRowsAsync(ReadFileRowsAsync(file, cancellationToken)).ConfigureAwait(false);
            count += streamed.RowCount;
            sum = unchecked(sum + streamed.Checksum);
        }

        Forget(files);
        return new TargetSummary(count, sum);
    }

    // Reads a file of at most MaxKeptFile bytes whole and returns its rows, parsing only what follows the prefix parsed
    // before when that prefix is unchanged; null for a larger file (streamed instead); no rows when it vanished.
    private async Task<ParsedPrefix?> ParseSmallFileAsync(string file, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            if (new FileInfo(file).Length > MaxKeptFile)
            {
                Drop(file);
                return null;
            }

            bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            // Replaced by an atomic rename between listing and opening; the new object is read under its own name if it is listed.
            return ParsedPrefix.Empty;
        }

        var hasher = new XxHash128();
        var start = 0;
        var rows = new List<TargetRow>();
        ulong sum = 0;
        if (_parsed.TryGetValue(file, out var known) && known.Length <= bytes.Length)
        {
            hasher.Append(bytes.AsSpan(0, known.Length));
            if (hasher.GetCurrentHashAsUInt128() == known.Hash)
            {
                start = known.Length;
                rows.AddRange(known.Rows);
                sum = known.Sum;
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
                var row = ParseLine(new ReadOnlySequence<byte>(line));
                rows.Add(row);
                sum = unchecked(sum + TargetChecksum.HashRow(row));
            }

            consumed += newline + 1;
        }

        hasher.Append(bytes.AsSpan(start, consumed - start));
        var parsed = new ParsedPrefix(consumed, hasher.GetCurrentHashAsUInt128(), [.. rows], sum);
        Keep(file, parsed);
        return parsed;
    }

    private void Keep(string file, ParsedPrefix parsed)
    {
        lock (_keptGate)
        {
            var before = _parsed.TryGetValue(file, out var old) ? old.Length : 0;
            if (_keptBytes - before + parsed.Length > MaxKeptBytes)
            {
                return;
            }

            _parsed[file] = parsed;
            _keptBytes += parsed.Length - before;
        }
    }

    private void Drop(string file)
    {
        lock (_keptGate)
        {
            if (_parsed.TryRemove(file, out var old))
            {
                _keptBytes -= old.Length;
            }
        }
    }

    // Lets go of what was kept of files no longer listed.
    private void Forget(IReadOnlyList<string> listed)
    {
        foreach (var gone in _parsed.Keys.Except(listed, StringComparer.Ordinal).ToList())
        {
            Drop(gone);
        }
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

    // What a read parsed of a file: its first Length bytes (complete lines), their hash, their rows and the rows' checksum.
    private sealed record ParsedPrefix(int Length, UInt128 Hash, TargetRow[] Rows, ulong Sum)
    {
        public static ParsedPrefix Empty { get; } = new(0, 0, [], 0);
    }
}
