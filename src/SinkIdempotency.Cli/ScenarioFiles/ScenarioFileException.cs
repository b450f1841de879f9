namespace SinkIdempotency.Cli.ScenarioFiles;

/// <summary>Reports a scenario file that cannot be used, pointing at the file, line, column and key: <c>scenario.yaml:12:3: fault.kind: unknown fault 'crash'; …</c>.</summary>
internal sealed class ScenarioFileException : Exception
{
    public ScenarioFileException(string file, long line, long column, string? key, string problem)
        : base(Format(file, line, column, key, problem))
    {
        File = file;
        Line = line;
        Column = column;
        Key = key;
        Problem = problem;
    }

    public ScenarioFileException()
        : this("scenario file", 0, 0, null, "invalid")
    {
    }

    public ScenarioFileException(string message)
        : this("scenario file", 0, 0, null, message)
    {
    }

    public ScenarioFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "scenario file";
        Problem = message;
    }

    public string File { get; }

    public long Line { get; }

    public long Column { get; }

    public string? Key { get; }

    public string Problem { get; }

    private static string Format(string file, long line, long column, string? key, string problem) =>
        (line > 0 ? $"{file}:{line}:{column}: " : $"{file}: ") + (key is null ? problem : $"{key}: {problem}");
}
