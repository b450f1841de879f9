namespace SinkIdempotency.Faults;

/// <summary>Describes one failure case of the catalog: its name, the settings a scenario file may give it, how to build it from them, and the configuration the known-answer matrix runs.</summary>
/// <param name="Name">Gets the fault's report name, as <see cref="Fault.Name"/> returns it and scenario files write it (<c>fault.kind</c>).</param>
/// <param name="Keys">Gets the settings a scenario file may give the fault, besides <c>kind</c>.</param>
/// <param name="Read">Gets the function that builds the fault from its settings, each absent one at the options' default.</param>
/// <param name="Reference">Gets the function that builds the fault as the known-answer matrix runs it.</param>
public sealed record FaultDefinition(string Name, IReadOnlyList<string> Keys, Func<IFaultSettings, Fault> Read, Func<Fault> Reference)
{
    /// <summary>Gets a value indicating whether the known-bad configuration (plain inserts) must come out red under this fault.</summary>
    /// <value>
    /// <see langword="true"/> unless the fault's window never opens on a synchronous sink (the crash in the loss window), or the
    /// fault makes a correct worker neither lose nor repeat anything (a refused offset commit, a stalled fetch): then the plain
    /// insert must come out green too, and red means the worker mishandled the fault.
    /// </value>
    public bool KnownBadIsRed { get; init; } = true;
}
