using System.Globalization;
using System.Text.RegularExpressions;

namespace SinkIdempotency.Testcontainers;

/// <summary>Reads what <c>docker/connect</c> installs into the Connect image: the archives its <c>*.sha256</c> files pin (checked before a build), and the manifest the build writes into the image (recorded in every run's evidence).</summary>
/// <remarks>
/// An archive whose pin file holds no SHA-256 is installed only when the user opts in
/// (<see cref="DockerEnvironmentOptions.AllowUnpinnedConnectorsVariable"/> or
/// <see cref="DockerEnvironmentOptions.AllowUnpinnedConnectorArchives"/>); a different checksum stops the build whatever
/// the opt-in says (<c>install-connector.sh</c>). The build records each archive's SHA-256 in <see cref="ManifestPath"/>,
/// and the environment turns that into evidence notes and, for an unverified archive, a warning on every result.
/// </remarks>
internal static partial class ConnectImageRecipe
{
    /// <summary>The file the image build writes one line per installed archive to: <c>&lt;sha256&gt;  &lt;archive&gt;  pinned|unverified  &lt;pin file&gt;</c>.</summary>
    public const string ManifestPath = "/usr/share/confluent-hub-components/sinkidempotency-connector-archives.txt";

    /// <summary>The build argument that lets <c>install-connector.sh</c> install an archive its pin file does not pin.</summary>
    public const string AllowUnpinnedBuildArgument = "ALLOW_UNPINNED_CONNECTOR";

    /// <summary>Reads every <c>*.sha256</c> pin file of a Connect Dockerfile folder, in file-name order.</summary>
    /// <param name="directory">The folder holding the Dockerfile and its pin files.</param>
    /// <returns>One pin per file; <see cref="ConnectorPin.Sha256"/> is <see langword="null"/> where the file pins no checksum.</returns>
    public static IReadOnlyList<ConnectorPin> ReadPins(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var pins = new List<ConnectorPin>();
        foreach (var file in Directory.GetFiles(directory, "*.sha256").Order(StringComparer.Ordinal))
        {
            var line = File.ReadLines(file).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
            var words = line?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];
            var archive = words.Length >= 2 ? words[1] : null;
            var sha = words.Length >= 1 && Sha256().IsMatch(words[0]) ? words[0] : null;
            pins.Add(new ConnectorPin(Path.GetFileName(file), archive ?? "(no archive named)", sha));
        }

        return pins;
    }

    /// <summary>Explains why the image cannot be built as it stands: pin files without a checksum while the user has not opted in to unverified archives.</summary>
    /// <param name="pins">The pins (<see cref="ReadPins"/>).</param>
    /// <param name="allowUnpinned">Whether the user opted in to unverified archives.</param>
    /// <param name="directory">The Dockerfile folder, for the message.</param>
    /// <returns><see langword="null"/> when the build may go ahead; otherwise the message, naming each archive and every way out.</returns>
    public static string? ExplainUnpinned(IReadOnlyList<ConnectorPin> pins, bool allowUnpinned, string directory)
    {
        ArgumentNullException.ThrowIfNull(pins);
        var unpinned = pins.Where(p => p.Sha256 is null).ToList();
        if (unpinned.Count == 0 || allowUnpinned)
        {
            return null;
        }

        var list = string.Join(", ", unpinned.Select(p => $"{p.Archive} ({p.PinFile})"));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"The Connect image from {directory} would install {unpinned.Count} archive(s) whose pin file holds no SHA-256: {list}. Nothing is installed unverified unless you say so. Either write each archive's SHA-256, checked against its publisher's, as '<sha256>  <archive>' in its pin file; or set {DockerEnvironmentOptions.AllowUnpinnedConnectorsVariable}=1 (DockerEnvironmentBuilder.WithUnpinnedConnectorArchivesAllowed()) to build with them unverified: the build prints each archive's SHA-256 and every run records it in its evidence and warnings; or use a Connect image you built and checked yourself ({DockerEnvironmentOptions.ConnectImageVariable} or WithConnectImage).");
    }

    /// <summary>Parses the manifest the image build wrote (<see cref="ManifestPath"/>); lines of any other shape are left out.</summary>
    /// <param name="text">The manifest's text.</param>
    /// <returns>The installed archives, in install order.</returns>
    public static IReadOnlyList<ConnectorArchive> ParseManifest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var archives = new List<ConnectorArchive>();
        foreach (var line in text.Split('\n'))
        {
            var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 3 && Sha256().IsMatch(words[0]) && words[2] is "pinned" or "unverified")
            {
                archives.Add(new ConnectorArchive(words[0], words[1], words[2] == "pinned", words.Length >= 4 ? words[3] : null));
            }
        }

        return archives;
    }

    /// <summary>Describes the Connect image's archives for every run: one note per archive, and a warning per archive no pin verified.</summary>
    /// <param name="image">The Connect image.</param>
    /// <param name="archives">The archives its manifest lists, or <see langword="null"/> when it has none (a pre-built image from elsewhere).</param>
    /// <param name="unreadable">Why the manifest could not be read, or <see langword="null"/>.</param>
    /// <returns>The notes and the warnings.</returns>
    public static (IReadOnlyList<string> Notes, IReadOnlyList<string> Warnings) Provenance(string image, IReadOnlyList<ConnectorArchive>? archives, string? unreadable = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        if (archives is null || archives.Count == 0)
        {
            return ([$"Connect image {image} lists no connector archives ({ManifestPath} {unreadable ?? "is empty"}): it was not built from this version of docker/connect, so which connector code ran is recorded only by the image name."], []);
        }

        var notes = archives
            .Select(a => a.Pinned
                ? $"Connect image {image}: {a.Archive} sha256 {a.Sha256}, verified against docker/connect/{a.PinFile}"
                : $"Connect image {image}: {a.Archive} sha256 {a.Sha256}, NOT verified (no pin in docker/connect/{a.PinFile}; installed because {DockerEnvironmentOptions.AllowUnpinnedConnectorsVariable}=1)")
            .ToList();
        var warnings = archives
            .Where(a => !a.Pinned)
            .Select(a => $"The Connect image {image} runs {a.Archive} installed without a pinned checksum (sha256 {a.Sha256}); check that digest against the publisher's and write '{a.Sha256}  {a.Archive}' in docker/connect/{a.PinFile}.")
            .ToList();
        return (notes, warnings);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256();
}
