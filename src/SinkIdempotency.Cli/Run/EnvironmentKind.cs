namespace SinkIdempotency.Cli.Run;

/// <summary>Names where <c>run</c> executes the scenarios (<c>--env</c>).</summary>
internal enum EnvironmentKind
{
    /// <summary>Embedded broker, worker processes and a local PostgreSQL on this machine (the default).</summary>
    Embedded,

    /// <summary>Real Kafka, Kafka Connect and PostgreSQL containers through Testcontainers.</summary>
    Docker,

    /// <summary>An existing Kafka, Connect and PostgreSQL named by the user.</summary>
    External,
}
