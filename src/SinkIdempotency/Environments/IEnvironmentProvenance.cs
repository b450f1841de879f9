namespace SinkIdempotency.Environments;

/// <summary>Tells where an environment's parts came from, so every run's evidence records it; implemented by environments that install third-party code (the Docker environment's Connect image and its connector archives).</summary>
/// <remarks>
/// An optional ability, as <see cref="IWorkerLogReader"/> is. The runner records each note in the run's evidence when the
/// run deploys its connector, and adds each warning to the result's <see cref="Scenarios.ScenarioResult.Warnings"/>, so a
/// verdict reached with a part nobody verified says so wherever the verdict is shown.
/// </remarks>
public interface IEnvironmentProvenance
{
    /// <summary>Gets facts every run records in its evidence, for example each connector archive in the Connect image with its SHA-256 and the pin that verified it.</summary>
    /// <value>One sentence per fact; empty when there is nothing to record.</value>
    IReadOnlyList<string> ProvenanceNotes { get; }

    /// <summary>Gets the facts that also go into every result's warnings: parts installed without verification, and what to do about them.</summary>
    /// <value>One sentence per part; empty when every part was verified.</value>
    IReadOnlyList<string> ProvenanceWarnings { get; }
}
