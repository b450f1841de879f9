using SinkIdempotency.Environments;
using SinkIdempotency.Tests.Scenarios.Support;

namespace SinkIdempotency.Tests.Environments;

public sealed class WorkerLocatorTests
{
    [Fact]
    public void FindWorker_WorkerNextToTheHarness_IsFoundWithNoSetting()
    {
        using var folder = new TempFolder();
        var worker = Worker(folder.Path);

        WorkerLocator.FindWorker(configured: null, fromVariable: null, folder.Path).Should().Be(worker);
    }

    [Fact]
    public void FindWorker_AssemblyWithoutRuntimeConfig_IsNotTaken()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, WorkerLocator.AssemblyName), "");

        var find = () => WorkerLocator.FindWorker(configured: null, fromVariable: null, folder.Path);

        find.Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void FindWorker_NoWorkerAnywhere_HintNamesThePackageTheVariableAndTheBuilder()
    {
        using var folder = new TempFolder();

        var find = () => WorkerLocator.FindWorker(configured: null, fromVariable: null, folder.Path);

        find.Should().Throw<FileNotFoundException>().Which.Message.Should()
            .Contain("Reference the SinkIdempotency.Xunit (or SinkIdempotency) package")
            .And.Contain(EmbeddedEnvironmentOptions.WorkerPathVariable)
            .And.Contain("WithWorkerPath")
            .And.Contain(folder.Path);
    }

    [Fact]
    public void FindWorker_VariablePointsNowhere_FailsEvenWhenAWorkerIsNextToTheHarness()
    {
        using var folder = new TempFolder();
        Worker(folder.Path);
        var wrong = Path.Combine(folder.Path, "nowhere", WorkerLocator.AssemblyName);

        var find = () => WorkerLocator.FindWorker(configured: null, fromVariable: wrong, folder.Path);

        find.Should().Throw<FileNotFoundException>().Which.Message.Should().Contain(EmbeddedEnvironmentOptions.WorkerPathVariable).And.Contain(wrong);
    }

    [Fact]
    public void FindWorker_VariablePointsAtAWorker_WinsOverTheOneNextToTheHarness()
    {
        using var folder = new TempFolder();
        Worker(folder.Path);
        var elsewhere = Worker(Directory.CreateDirectory(Path.Combine(folder.Path, "elsewhere")).FullName);

        WorkerLocator.FindWorker(configured: null, fromVariable: elsewhere, folder.Path).Should().Be(elsewhere);
    }

    [Fact]
    public void FindWorker_RepositoryBuildAboveTheHarness_IsFound()
    {
        using var folder = new TempFolder();
        var built = Worker(Directory.CreateDirectory(Path.Combine(folder.Path, "artifacts", "bin", "SinkIdempotency.Worker", "release")).FullName);
        var harness = Directory.CreateDirectory(Path.Combine(folder.Path, "tests", "bin")).FullName;

        WorkerLocator.FindWorker(configured: null, fromVariable: null, harness).Should().Be(built);
    }

    private static string Worker(string folder)
    {
        var path = Path.Combine(folder, WorkerLocator.AssemblyName);
        File.WriteAllText(path, "");
        File.WriteAllText(Path.ChangeExtension(path, ".runtimeconfig.json"), "{}");
        return path;
    }
}
