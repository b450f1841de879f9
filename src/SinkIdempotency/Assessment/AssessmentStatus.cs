namespace SinkIdempotency.Assessment;

/// <summary>Grades one row of an assessment.</summary>
public enum AssessmentStatus
{
    /// <summary>Measured and meets the production need.</summary>
    Green,

    /// <summary>Measured with a caveat the row names (little headroom, an unchecked deadline).</summary>
    Yellow,

    /// <summary>Measured and fails the production need; the assessment file must give a remediation plan.</summary>
    Red,

    /// <summary>Could not be measured on this platform; the row says why. Never counts as green.</summary>
    NotAssessed,
}
