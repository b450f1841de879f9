namespace SinkIdempotency.Embedded;

/// <summary>Names why a local PostgreSQL server could not be found, prepared or started, so callers can tell a missing prerequisite from a broken setup.</summary>
public enum LocalPostgreSqlFailure
{
    /// <summary>Something else failed (a helper command, the file system); the message names it.</summary>
    Other,

    /// <summary>No server binaries on this machine and none could be fetched: downloading is turned off, the registry was unreachable, or the platform has no bundle.</summary>
    BinariesNotFound,

    /// <summary>The configured folder (<see cref="LocalServerOptions.BinDirectory"/> or <c>SINKIDEMPOTENCY_PG_BIN</c>) does not hold working server binaries; nothing else is tried.</summary>
    ConfiguredBinariesInvalid,

    /// <summary>The downloaded bundle did not match the registry's sha512 integrity, or could not be unpacked or run; nothing was kept in the cache.</summary>
    BundleInvalid,

    /// <summary>The OS user the server runs as when the harness is root does not exist or cannot reach the files.</summary>
    ServerUser,

    /// <summary><c>initdb</c> failed while preparing the template cluster; the message holds its output.</summary>
    InitDbFailed,

    /// <summary>The server process exited or did not accept connections in time; the message holds its exit code and the end of its log.</summary>
    ServerDidNotStart,
}
