using System.Diagnostics.CodeAnalysis;
using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Xunit;

/// <summary>Asserts on a <see cref="ScenarioResult"/>; failure messages name the anomalies with examples, the reasons and the evidence file.</summary>
/// <param name="subject">The result.</param>
public sealed class ScenarioResultAssertions(ScenarioResult subject) : ReferenceTypeAssertions<ScenarioResult, ScenarioResultAssertions>(subject)
{
    /// <inheritdoc />
    protected override string Identifier => "scenario";

    /// <summary>Asserts that the verdict is green: no anomaly at all, the pipeline settled and the fault was injected.</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> BeGreen([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs) =>
        HaveVerdict(Verdict.Green, because, becauseArgs);

    /// <summary>Asserts that the verdict is yellow: only anomalies the declared semantics allow.</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> BeYellow([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs) =>
        HaveVerdict(Verdict.Yellow, because, becauseArgs);

    /// <summary>Asserts that the verdict is red: a forbidden anomaly, no convergence, or a fault that was not injected.</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> BeRed([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs) =>
        HaveVerdict(Verdict.Red, because, becauseArgs);

    /// <summary>Asserts that the verdict is green or yellow.</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> NotBeRed([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs)
    {
        if (HasSubject(because, becauseArgs, "not to be red"))
        {
            Execute.Assertion
                .BecauseOf(because, becauseArgs)
                .ForCondition(Subject.Verdict is Verdict.Green or Verdict.Yellow)
                .FailWith(AnomalyText.Escape($"Expected {AnomalyText.Describe(Subject)} not to be red") + "{reason}" + AnomalyText.Escape($", but it was {VerdictName(Subject)}:\n{AnomalyText.Details(Subject)}"));
        }

        return new AndConstraint<ScenarioResultAssertions>(this);
    }

    /// <summary>Asserts that the verdict is the expected one.</summary>
    /// <param name="expected">The expected verdict.</param>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> HaveVerdict(Verdict expected, [StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs)
    {
        if (HasSubject(because, becauseArgs, $"to be {expected.ToName()}"))
        {
            Execute.Assertion
                .BecauseOf(because, becauseArgs)
                .ForCondition(Subject.Verdict == expected)
                .FailWith(AnomalyText.Escape($"Expected {AnomalyText.Describe(Subject)} to be {expected.ToName()}") + "{reason}" + AnomalyText.Escape($", but it was {VerdictName(Subject)}:\n{AnomalyText.Details(Subject)}"));
        }

        return new AndConstraint<ScenarioResultAssertions>(this);
    }

    /// <summary>Asserts that no record was lost (committed past, yet absent from the target).</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> HaveNoLostRecords([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs) =>
        HaveAtMost(AnomalyKind.Lost, 0, "lost records", "were lost", because, becauseArgs);

    /// <summary>Asserts that no record has more than one row (or, under upsert, no key more than one row).</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> HaveNoDuplicates([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs) =>
        HaveAtMost(AnomalyKind.Duplicated, 0, "duplicates", "were duplicated", because, becauseArgs);

    /// <summary>Asserts that at most <paramref name="maximum"/> records (or keys, under upsert) were duplicated.</summary>
    /// <param name="maximum">The most duplicated records allowed.</param>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> HaveAtMostDuplicates(long maximum, [StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maximum);
        return HaveAtMost(AnomalyKind.Duplicated, maximum, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"at most {maximum} duplicated records"), "were duplicated", because, becauseArgs);
    }

    /// <summary>Asserts that the target holds no row the harness never produced.</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> HaveNoUnexpectedRows([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs) =>
        HaveAtMost(AnomalyKind.Unexpected, 0, "unexpected rows", "were unexpected", because, becauseArgs);

    /// <summary>Asserts that no poison record was skipped without a dead-letter record.</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> HaveNoSilentlyDroppedRecords([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs) =>
        HaveAtMost(AnomalyKind.SilentlyDropped, 0, "silently dropped records", "were silently dropped", because, becauseArgs);

    /// <summary>Asserts that no key ended with an older version than one committed past (upsert targets).</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> HaveNoStaleKeys([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs) =>
        HaveAtMost(AnomalyKind.Stale, 0, "stale keys", "were stale", because, becauseArgs);

    /// <summary>Asserts that every record reached the target, the dead-letter topic, or was superseded by a newer version.</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> HaveNoUnseenRecords([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs) =>
        HaveAtMost(AnomalyKind.Unseen, 0, "unseen records", "were unseen", because, becauseArgs);

    /// <summary>Asserts that exactly <paramref name="expected"/> records are accounted for by the dead-letter topic.</summary>
    /// <param name="expected">The expected number of dead-lettered records.</param>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> HaveDeadLettered(long expected, [StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs)
    {
        if (HasReport(because, becauseArgs, $"to have {expected} dead-lettered records"))
        {
            var actual = Subject.Report![AnomalyKind.DeadLettered].Count;
            Execute.Assertion
                .BecauseOf(because, becauseArgs)
                .ForCondition(actual == expected)
                .FailWith(AnomalyText.Escape($"Expected {AnomalyText.Describe(Subject)} to have {expected} dead-lettered records") + "{reason}" + AnomalyText.Escape($", but {actual} were dead-lettered ({Subject.Report.DeadLetterRecords} dead-letter records read)."));
        }

        return new AndConstraint<ScenarioResultAssertions>(this);
    }

    /// <summary>Asserts that the fault was injected (the trigger fired and, for kills, landed inside the window); a crash window that never opened is not an injection.</summary>
    /// <param name="because">A phrase explaining why the assertion is needed.</param>
    /// <param name="becauseArgs">Values for the placeholders in <paramref name="because"/>.</param>
    /// <returns>A constraint to chain further assertions.</returns>
    public AndConstraint<ScenarioResultAssertions> HaveInjectedTheFault([StringSyntax("CompositeFormat")] string because = "", params object[] becauseArgs)
    {
        if (HasSubject(because, becauseArgs, "to have injected its fault"))
        {
            Execute.Assertion
                .BecauseOf(because, becauseArgs)
                .ForCondition(Subject.Outcome is not (ScenarioOutcome.FaultNotInjected or ScenarioOutcome.WindowNeverOpened) && Subject.Fault != "none")
                .FailWith(AnomalyText.Escape($"Expected {AnomalyText.Describe(Subject)} to have injected its fault") + "{reason}" + AnomalyText.Escape($", but it was not: {Subject.FaultDetail ?? "the scenario has no fault"}"));
        }

        return new AndConstraint<ScenarioResultAssertions>(this);
    }

    private AndConstraint<ScenarioResultAssertions> HaveAtMost(AnomalyKind kind, long maximum, string expectation, string verb, string because, object[] becauseArgs)
    {
        if (HasReport(because, becauseArgs, $"to have no {expectation}"))
        {
            var anomaly = Subject.Report![kind];
            var phrase = maximum == 0 ? $"to have no {expectation}" : $"to have {expectation}";
            Execute.Assertion
                .BecauseOf(because, becauseArgs)
                .ForCondition(anomaly.Count <= maximum)
                .FailWith(AnomalyText.Escape($"Expected {AnomalyText.Describe(Subject)} {phrase}") + "{reason}" + AnomalyText.Escape($", but {AnomalyText.Count(anomaly)} {verb}{AnomalyText.ExampleLines(anomaly)}{EvidenceSuffix()}"));
        }

        return new AndConstraint<ScenarioResultAssertions>(this);
    }

    private string EvidenceSuffix() => Subject.EvidencePath is null ? string.Empty : $"\n  evidence: {Subject.EvidencePath}";

    private bool HasSubject(string because, object[] becauseArgs, string expectation) =>
        Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject is not null)
            .FailWith($"Expected scenario {expectation}{{reason}}, but found <null>.");

    private bool HasReport(string because, object[] becauseArgs, string expectation) =>
        HasSubject(because, becauseArgs, expectation)
        && Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject.Report is not null)
            .FailWith(AnomalyText.Escape($"Expected {AnomalyText.Describe(Subject)} {expectation}") + "{reason}" + AnomalyText.Escape($", but it has no reconciliation: {Subject.Outcome}{(Subject.SkipReason is null ? "." : ": " + Subject.SkipReason)}"));

    private static string VerdictName(ScenarioResult result) => result.Verdict?.ToName() ?? "skipped";
}
