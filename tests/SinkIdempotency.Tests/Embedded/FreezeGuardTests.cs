using System.Diagnostics;
using SinkIdempotency.Embedded;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Embedded;

public sealed class FreezeGuardTests
{
    [Fact]
    public async Task Dispose_ProcessStillStopped_IsContinuedSoItCanSeeItsHarnessIsGone()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var guard = FreezeGuard.Start();
            guard.Register(sleeper.Id);
            UnixProcess.Signal(sleeper.Id, UnixProcess.SigStop).Should().BeTrue();
            (await Eventually.TrueAsync(() => UnixProcess.AllThreadsStopped(sleeper.Id), TimeSpan.FromSeconds(10))).Should().BeTrue("SIGSTOP stops the process");

            // What the harness's death does to the pipe: it closes.
            guard.Dispose();

            (await Eventually.TrueAsync(() => !UnixProcess.AllThreadsStopped(sleeper.Id), TimeSpan.FromSeconds(10))).Should().BeTrue("the guard continues the process");
        }
        finally
        {
            sleeper.Kill();
        }
    }
}
