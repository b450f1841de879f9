using System.Text;

namespace SinkIdempotency.Cli.Reports;

/// <summary>
/// Keeps a reused <c>--out</c> folder from mixing runs: records, in <see cref="FileName"/>, every file a run wrote there, and
/// before the next run deletes exactly those files (and the folders they leave empty), never a file the tool did not write.
/// </summary>
internal sealed class OutputManifest
{
    /// <summary>The manifest's name inside the output folder.</summary>
    public const string FileName = ".sink-idempotency-files";

    private const string Header = "# Files the last `sink-idempotency run` or `assess` with --out wrote here; the next one with the same --out deletes exactly these first.";

    private readonly string _folder;
    private readonly HashSet<string> _before;

    private OutputManifest(string folder, HashSet<string> before)
    {
        _folder = folder;
        _before = before;
    }

    /// <summary>Deletes the files the previous run recorded, then remembers what is left so <see cref="Write"/> records only this run's files.</summary>
    /// <param name="folder">The output folder, which exists.</param>
    /// <returns>The manifest of this run.</returns>
    public static OutputManifest Prepare(string folder)
    {
        folder = Path.GetFullPath(folder);
        var manifest = Path.Combine(folder, FileName);
        if (File.Exists(manifest))
        {
            foreach (var line in File.ReadAllLines(manifest))
            {
                if (line.Length == 0 || line.StartsWith('#') || Inside(folder, line) is not { } path)
                {
                    continue;
                }

                if (File.Exists(path))
                {
                    File.Delete(path);
                }

                DeleteEmptyParents(folder, Path.GetDirectoryName(path));
            }

            File.Delete(manifest);
        }

        return new OutputManifest(folder, [.. Files(folder)]);
    }

    /// <summary>Records every file in the folder that was not there when <see cref="Prepare"/> ran.</summary>
    /// <returns>How many files were recorded.</returns>
    public int Write()
    {
        var written = Files(_folder).Where(f => !_before.Contains(f)).Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder().AppendLine(Header);
        foreach (var file in written)
        {
            text.AppendLine(file);
        }

        File.WriteAllText(Path.Combine(_folder, FileName), text.ToString(), new UTF8Encoding(false));
        return written.Count;
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => f != FileName);

    // A manifest line is a path relative to the folder; one that leads outside it (edited by hand) is ignored.
    private static string? Inside(string folder, string relative)
    {
        var path = Path.GetFullPath(Path.Combine(folder, relative));
        return path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : null;
    }

    private static void DeleteEmptyParents(string folder, string? directory)
    {
        while (directory is not null && directory.Length > folder.Length && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
            directory = Path.GetDirectoryName(directory);
        }
    }
}
