using SinkIdempotency.Assessment;
using SinkIdempotency.Cli.Matrix;

namespace SinkIdempotency.Cli.Assessment;

/// <summary>Holds an assessment file as read: the team's declared facts and the matrix entries of its connectors.</summary>
/// <param name="File">The assessment file's path.</param>
/// <param name="Definition">The declared facts (the core's assessment definition).</param>
/// <param name="Entries">The connectors' failure-matrix entries: the scenario files', then the reference columns'.</param>
internal sealed record LoadedAssessment(string File, AssessmentDefinition Definition, IReadOnlyList<MatrixEntry> Entries);
