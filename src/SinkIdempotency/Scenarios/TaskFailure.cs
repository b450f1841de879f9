using System.Globalization;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <summary>Describes a task the Connect status API reported <c>FAILED</c> during a run: its trace, and whether one of the scenario's own poison records explains the failure.</summary>
/// <remarks>
/// A failed task makes the verdict red unless the run proves that a poison record the scenario produced stopped it
/// (<see cref="CausedByPoison"/>); only then may the records it left unprocessed be graded yellow. How the proof works is in
/// <see cref="Attribution"/> and in <c>docs/harness.md</c>.
/// </remarks>
public sealed record TaskFailure
{
    /// <summary>The most characters of a trace kept in a result and its evidence.</summary>
    public const int MaxTraceLength = 8000;

    /// <summary>The most lines <see cref="Headlines"/> returns.</summary>
    public const int MaxHeadlines = 6;

    /// <summary>Gets the task number.</summary>
    /// <value>The <c>id</c> of the task in the status API.</value>
    public required int Task { get; init; }

    /// <summary>Gets the worker that reported the failure, or <see langword="null"/>.</summary>
    /// <value>A Connect worker id such as <c>127.0.0.1:8083</c>.</value>
    public string? WorkerId { get; init; }

    /// <summary>Gets when the failure was first observed.</summary>
    /// <value>The runner's clock.</value>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets the failure trace as Connect reported it, secrets redacted, cut to <see cref="MaxTraceLength"/> characters.</summary>
    /// <value>A Java-style trace: <c>Class: message</c>, <c>\tat …</c> frames and <c>Caused by: …</c> lines.</value>
    public required string Trace { get; init; }

    /// <summary>Gets a value indicating whether the run proved that one of the scenario's poison records stopped the task.</summary>
    /// <value><see langword="false"/> until the run attributes the failure.</value>
    public bool CausedByPoison { get; init; }

    /// <summary>Gets the position of the poison record that stopped the task, or <see langword="null"/>.</summary>
    /// <value>Set when <see cref="CausedByPoison"/> is <see langword="true"/>.</value>
    public SourcePosition? Poison { get; init; }

    /// <summary>Gets the sentence that says how the failure was attributed, or why it could not be.</summary>
    /// <value>For example <c>the trace names poison record t-0@500</c>; <see langword="null"/> before attribution.</value>
    public string? Attribution { get; init; }

    /// <summary>Gets the first line of the trace.</summary>
    /// <value>Usually <c>exception class: message</c>.</value>
    public string FirstLine => Lines(Trace).FirstOrDefault() ?? string.Empty;

    /// <summary>Gets the lines that say what failed: the trace without its stack frames (the first line, message continuations, each <c>Caused by:</c> line), at most <see cref="MaxHeadlines"/>.</summary>
    /// <value>When the trace has more, the first line and the deepest causes, which are the ones people look for.</value>
    public IReadOnlyList<string> Headlines
    {
        get
        {
            var lines = Lines(Trace).ToList();
            return lines.Count <= MaxHeadlines ? lines : [lines[0], .. lines.Skip(lines.Count - (MaxHeadlines - 1))];
        }
    }

    /// <summary>Gets the deepest cause of the failure: the last <c>Caused by:</c> line without its prefix, or <see langword="null"/> when the trace has none.</summary>
    /// <value>For example <c>System.Text.Json.JsonReaderException: 'k' is an invalid start of a value.</c></value>
    public string? RootCause =>
        Lines(Trace).LastOrDefault(l => l.StartsWith("Caused by:", StringComparison.Ordinal)) is { } cause ? cause["Caused by:".Length..].Trim() : null;

    /// <summary>Gets one line for reports: <c>task 0 failed: first line; caused by root cause</c>.</summary>
    /// <value>A sentence without the stack frames.</value>
    public string Summary =>
        string.Create(CultureInfo.InvariantCulture, $"task {Task} failed: {FirstLine}") + (RootCause is { } root ? "; caused by " + root : string.Empty);

    /// <summary>Shortens a trace line's leading Java or .NET class name to its simple name: <c>org.apache.kafka.connect.errors.ConnectException: x</c> becomes <c>ConnectException: x</c>.</summary>
    /// <param name="line">A trace line.</param>
    /// <returns>The line with a shorter class name, or the line unchanged when it does not start with one.</returns>
    public static string ShortenClassName(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? line : line[..colon];
        if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal) || !name.Contains('.', StringComparison.Ordinal))
        {
            return line;
        }

        return name[(name.LastIndexOf('.') + 1)..] + (colon < 0 ? string.Empty : line[colon..]);
    }

    private static IEnumerable<string> Lines(string trace) =>
        trace.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0 && !l.StartsWith('\t') && !l.TrimStart().StartsWith("at ", StringComparison.Ordinal) && !l.TrimStart().StartsWith("...", StringComparison.Ordinal));
}
