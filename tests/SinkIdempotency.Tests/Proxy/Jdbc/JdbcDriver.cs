namespace SinkIdempotency.Tests.Proxy.Jdbc;

/// <summary>Names a JDBC driver the fault proxy's tests run in a JVM, and where Debian puts its jar.</summary>
/// <param name="Name">The driver's name for messages.</param>
/// <param name="JarVariable">The environment variable that points at another jar.</param>
/// <param name="DebianJar">The jar Debian's package installs.</param>
/// <param name="DebianPackage">The Debian package, which <c>.ci/run</c> installs.</param>
internal sealed record JdbcDriver(string Name, string JarVariable, string DebianJar, string DebianPackage)
{
    /// <summary>Gets pgjdbc, the PostgreSQL driver of the Confluent JDBC sink.</summary>
    public static JdbcDriver PgJdbc { get; } = new("the PostgreSQL JDBC driver (pgjdbc)", "SINKIDEMPOTENCY_PGJDBC_JAR", "/usr/share/java/postgresql.jar", "libpostgresql-jdbc-java");

    /// <summary>Gets MariaDB Connector/J, a MySQL-protocol driver the Confluent JDBC sink loads for <c>jdbc:mariadb:</c> URLs.</summary>
    public static JdbcDriver MariaDb { get; } = new("MariaDB Connector/J", "SINKIDEMPOTENCY_MARIADB_JDBC_JAR", "/usr/share/java/mariadb-java-client.jar", "libmariadb-java");
}
