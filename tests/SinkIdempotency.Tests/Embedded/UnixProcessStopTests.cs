using System.Diagnostics;
using SinkIdempotency.Embedded;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Embedded;

public sealed class UnixProcessStopTests
{
    [Fact]
    public void StopIsCertain_SleepingProcessNeverSignalled_IsFalseBecauseNoStopBegan()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            // Waiting in clock_nanosleep would count as stopping only once a group stop has begun.
            UnixProcess.StopIsCertain(sleeper.Id, out var running).Should().BeFalse();
            running.Should().NotBeEmpty();
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public async Task StopIsCertain_BusyProcessStoppedThenContinued_IsTrueOnlyWhileStopped()
    {
        using var busy = Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!;
        try
        {
            UnixProcess.StopIsCertain(busy.Id, out _).Should().BeFalse("the loop runs");
            UnixProcess.Signal(busy.Id, UnixProcess.SigStop).Should().BeTrue();
            (await Eventually.TrueAsync(() => UnixProcess.StopIsCertain(busy.Id, out _), TimeSpan.FromSeconds(10))).Should().BeTrue("SIGSTOP stops the loop");

            UnixProcess.Signal(busy.Id, UnixProcess.SigCont).Should().BeTrue();

            UnixProcess.StopIsCertain(busy.Id, out var running).Should().BeFalse("the loop runs again");
            running.Should().NotBeEmpty();
        }
        finally
        {
            busy.Kill();
        }
    }

    [Fact]
    public async Task StopIsCertain_ProcessGone_IsTrue()
    {
        var pid = await LocalServerChecks.ExitedPidAsync(TestContext.Current.CancellationToken);

        UnixProcess.StopIsCertain(pid, out _).Should().BeTrue("a process that is gone runs no code");
    }
}
